/* lockscan HTML report, part 4 of 4: the findings table, rule pages, policy, diagnostics; then the page is drawn.
   The four parts run as one script, in order, inside one function (assets/page.html);
   written for this report, no library. Text from the scanned code is only ever set with
   textContent, never parsed as HTML. */
// ------------------------------------------------------------------ findings
var FIELDS = { path: 0, line: 1, column: 2, cell: 3, rule: 4, vendor: 5, kind: 6, role: 7,
               confidence: 8, message: 9, snippet: 10 };
var PAGE = 300;

function findings() {
  var rows = data.findings;
  if (!rows) return;
  var box = section("findings", "Findings");
  var state = { vendor: "", kind: "", role: "", rule: "", path: "" }, shown = PAGE, matches = [];
  var controls = {};
  ["vendor", "kind", "role", "rule"].forEach(function (field) {
    var counts = {};
    rows.forEach(function (r) { var v = S[r[FIELDS[field]]]; counts[v] = (counts[v] || 0) + 1; });
    var names = Object.keys(counts).sort();
    controls[field] = el("select", { id: "filter-" + field, onchange: function () { set(field, this.value); } },
      el("option", { value: "", text: "all (" + names.length + ")" }),
      names.map(function (n) { return el("option", { value: n, text: n + " (" + counts[n] + ")" }); }));
  });
  controls.path = el("input", { id: "filter-path", type: "search", placeholder: "part of a path",
                                oninput: function () { set("path", this.value); } });
  var count = el("span", { id: "shown-count", class: "muted" });
  var clear = el("button", { type: "button", text: "clear filters", onclick: function () {
    Object.keys(state).forEach(function (k) { state[k] = ""; controls[k].value = ""; });
    update();
  } });
  box.appendChild(el("div", { class: "filters" }, ["vendor", "kind", "role", "rule", "path"].map(function (f) {
    return el("label", null, f, controls[f]);
  }), clear, count));
  var body = el("tbody");
  box.appendChild(el("table", { class: "findings", id: "findings-table" },
    el("colgroup", null, ["where", "rule", "vendor", "kind", "role", "message"].map(function (c) {
      return el("col", { class: c });
    })),
    el("thead", null, el("tr", null, ["location", "rule", "vendor", "kind", "role", "what it does"].map(function (h) {
      return el("th", { text: h });
    }))), body));
  var more = el("button", { type: "button", class: "more", id: "show-more",
                            onclick: function () { shown += PAGE; draw(); } });
  box.appendChild(more);

  function set(field, value) { state[field] = value; controls[field].value = value; update(); }
  function update() {
    var needle = state.path.toLowerCase();
    matches = [];
    rows.forEach(function (r, i) {
      if (state.vendor && S[r[5]] !== state.vendor) return;
      if (state.kind && S[r[6]] !== state.kind) return;
      if (state.role && S[r[7]] !== state.role) return;
      if (state.rule && S[r[4]] !== state.rule) return;
      if (needle && S[r[0]].toLowerCase().indexOf(needle) < 0) return;
      matches.push(i);
    });
    shown = PAGE;
    draw();
  }
  function draw() {
    var part = document.createDocumentFragment();
    matches.slice(0, shown).forEach(function (i) { part.appendChild(row(rows[i])); });
    body.textContent = "";
    body.appendChild(part);
    count.textContent = num(matches.length) + " of " + plural(rows.length, "finding") +
      (matches.length > shown ? " · first " + num(shown) + " shown" : "");
    more.hidden = matches.length <= shown;
    more.textContent = "show " + num(Math.min(PAGE, matches.length - shown)) + " more";
  }
  table = { filter: function (field, value) {
    if (controls[field].tagName === "SELECT" && !controls[field].querySelector('option[value="' + CSS.escape(value) + '"]')) return;
    set(field, value);
  } };
  update();
}

function row(r) {
  var where = S[r[0]] + ":" + (r[3] === null ? "" : "cell " + r[3] + ":") + r[1] + ":" + r[2];
  var rule = S[r[4]], page = data.rules && data.rules[rule];
  var message = el("td", null, S[r[9]]);
  if (S[r[8]] !== "high") message.appendChild(el("span", { class: "muted", text: " (" + S[r[8]] + " confidence)" }));
  if (S[r[10]]) message.appendChild(el("code", { class: "snippet", text: S[r[10]] }));
  return el("tr", null, el("td", { class: "where", text: where }),
    el("td", null, page ? el("a", { href: "#rule-" + rule, text: rule }) : rule),
    el("td", { text: S[r[5]] }), el("td", { text: S[r[6]] }),
    el("td", null, el("span", { class: "pill", text: S[r[7]] })), message);
}

// ------------------------------------------------------------------ rules, policy, diagnostics
function rules() {
  var ids = Object.keys(data.rules || {}).sort();
  if (!ids.length) return;
  var box = section("rules", "Rules found",
    "The page of every rule with a finding here, as `lockscan explain RULE` prints it; " +
    "click a rule to unfold it.");
  box.classList.add("rules");
  ids.forEach(function (id) {
    var d = data.rules[id];
    var meta = "vendor " + d.vendor + " · kind " + d.kind + " · api " + (d.api || "-") +
      " · confidence " + d.confidence + (d.via ? " · via " + d.via : "");
    box.appendChild(el("article", { id: "rule-" + id }, el("details", null,
      el("summary", null, el("code", { text: id }), " ", el("span", { class: "muted", text: d.finds })),
      el("div", { class: "meta", text: meta }),
      el("h4", { text: "What it finds" }), el("p", { text: d.finds }),
      el("h4", { text: "Why it locks you in" }), el("p", { text: d.why }),
      d.examples.length ? [el("h4", { text: "Example" }), el("pre", { text: d.examples.join("\n") })] : null,
      d.lookalikes.length ? [el("h4", { text: "Not reported (lookalikes)" }),
                             el("pre", { text: d.lookalikes.join("\n") })] : null,
      el("h4", { text: "Use instead" }), el("p", { text: d.fix }),
      el("h4", { text: "Effort to switch (points per finding)" }),
      el("div", { class: "efforts" }, d.efforts.map(function (e) {
        return el("span", null, e[0] + " ", el("b", { text: e[1] }));
      })),
      el("p", null, el("a", { href: "#findings", text: "show its findings",
                              onclick: function () { table && table.filter("rule", id); } })))));
  });
  window.addEventListener("hashchange", openRule);
}

// A rule page is folded until a link leads to it.
function openRule() {
  var target = location.hash.slice(0, 6) === "#rule-" && document.getElementById(location.hash.slice(1));
  if (target) { target.querySelector("details").open = true; target.scrollIntoView({ block: "start" }); }
}

function policy() {
  var p = data.policy;
  if (!p) return;
  var box = section("policy", "Gateway policy", "Vendor code is allowed only in: " +
                    (p.allowed_modules.join(", ") || "-") + ".");
  box.appendChild(p.violations.length
    ? el("ul", { class: "plain" }, p.violations.map(function (v) {
        return el("li", null, el("code", { text: v.path + ":" + v.line }), " " + v.rule + " · " + v.message);
      }))
    : el("p", { text: "No violations." }));
}

function diagnostics() {
  var list = data.diagnostics || [];
  if (!list.length) return;
  var box = section("diagnostics", "Diagnostics", "Files not fully analyzed (docs/robustness.md).");
  box.appendChild(el("details", null, el("summary", { text: plural(list.length, "diagnostic") }),
    el("ul", { class: "plain" }, list.map(function (d) {
      return el("li", null, el("code", { text: S[d[0]] }), " [" + S[d[1]] + "] " + d[2]);
    }))));
}

header();
if (data.summary) summary();
targetsChart();
costMap();
graph();
findings();
policy();
diagnostics();
rules();
if (location.hash) { openRule(); scrollTo(location.hash.slice(1)); }
