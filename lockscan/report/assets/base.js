/* lockscan HTML report, part 1 of 4: the data and the helpers every part uses.
   The four parts run as one script, in order, inside one function (assets/page.html);
   written for this report, no library. Text from the scanned code is only ever set with
   textContent, never parsed as HTML. */
var data = JSON.parse(document.getElementById("lockscan-data").textContent);
var S = data.strings || [];
var NS = "http://www.w3.org/2000/svg";
var root = document.getElementById("report");
var GRADES = { A: "#2e7d32", B: "#7cb342", C: "#f9a825", D: "#fb8c00", E: "#e64a19", F: "#c62828" };
var PALETTE = ["#cfe3f7", "#f8dcc0", "#d6eccd", "#ecd5f0", "#f6e7a8", "#cdeee9", "#f3cfd3",
               "#dcdcf5", "#e6e0cf", "#d0e6d9"];
var table = null;  // the findings table, once drawn: {filter(field, value)}

// ------------------------------------------------------------------ helpers
function el(tag, attrs) {
  var node = document.createElement(tag);
  setAll(node, attrs);
  for (var i = 2; i < arguments.length; i++) add(node, arguments[i]);
  return node;
}
function svg(tag, attrs) {
  var node = document.createElementNS(NS, tag);
  setAll(node, attrs);
  for (var i = 2; i < arguments.length; i++) add(node, arguments[i]);
  return node;
}
function setAll(node, attrs) {
  for (var key in attrs || {}) {
    if (key === "text") node.textContent = attrs[key];
    else if (key === "class") node.setAttribute("class", attrs[key]);
    else if (key.slice(0, 2) === "on") node.addEventListener(key.slice(2), attrs[key]);
    else if (attrs[key] !== null && attrs[key] !== undefined) node.setAttribute(key, attrs[key]);
  }
}
function add(node, child) {
  if (child === null || child === undefined || child === false) return;
  if (Array.isArray(child)) { child.forEach(function (c) { add(node, c); }); return; }
  node.appendChild(typeof child === "string" || typeof child === "number"
    ? document.createTextNode(String(child)) : child);
}
function tip(text) { return svg("title", { text: text }); }
function num(x) {
  var rounded = Math.round(x * 100) / 100;
  return rounded.toLocaleString("en-US", { maximumFractionDigits: 2 });
}
function plural(n, word) { return num(n) + " " + word + (n === 1 ? "" : "s"); }
function section(id, title, note) {
  var box = el("section", { id: id }, el("h2", { text: title }));
  if (note) box.appendChild(el("p", { class: "note", text: note }));
  root.appendChild(box);
  return box;
}
function sortedCounts(counts) {
  return Object.keys(counts || {}).sort(function (a, b) {
    return counts[b] - counts[a] || (a < b ? -1 : 1);
  });
}
function scrollTo(id) {
  var target = document.getElementById(id);
  if (target) target.scrollIntoView({ block: "start" });
}

// ------------------------------------------------------------------ summary
function header() {
  root.appendChild(el("header", null,
    el("h1", { text: data.title }),
    el("div", { class: "muted", text: "lockscan " + data.version + (data.root ? " · " + data.root : "") }),
    el("nav", { class: "toc" }, (data.toc || []).map(function (item) {
      return el("a", { href: "#" + item[0], text: item[1] });
    }))));
}

function summary() {
  var s = data.summary, g = data.graph_summary;
  var box = section("summary", "Summary");
  if (data.headline) box.appendChild(el("p", { class: "headline", text: data.headline }));
  var cards = [[s.findings, "findings"], [g.coupled, "coupled modules"],
               [g.blast_radius, "modules in the blast radius"], [g.gateways, "gateways"],
               [g.leaks, "leaks past a gateway", g.leaks > 0], [s.files, "files scanned"],
               [s.lines, "lines"], [s.diagnostics, "diagnostics", s.diagnostics > 0]];
  box.appendChild(el("div", { class: "cards" }, cards.map(function (c) {
    return el("div", { class: "card" + (c[2] ? " warn" : "") }, el("b", { text: num(c[0]) }),
              el("span", { text: c[1] }));
  })));
  var groups = [["vendor", s.by_vendor], ["kind", s.by_kind], ["role", s.by_role]];
  box.appendChild(el("div", { class: "counts" }, groups.filter(function (g) {
    return Object.keys(g[1] || {}).length;
  }).map(function (g) {
    var most = Math.max.apply(null, Object.values(g[1]));
    return el("table", { id: "counts-" + g[0] },
      el("tr", null, el("th", { text: g[0] }), el("th", { text: "findings" }), el("th")),
      sortedCounts(g[1]).map(function (name) {
        return el("tr", null,
          el("td", null, el("a", { href: "#findings", text: name,
                                   onclick: function () { table && table.filter(g[0], name); } })),
          el("td", { class: "n", text: num(g[1][name]) }),
          el("td", null, el("span", { class: "minibar",
                                      style: "width:" + Math.max(2, 90 * g[1][name] / most) + "px" })));
      }));
  })));
}
