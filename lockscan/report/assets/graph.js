/* lockscan HTML report, part 3 of 4: the coupled modules.
   The four parts run as one script, in order, inside one function (assets/page.html);
   written for this report, no library. Text from the scanned code is only ever set with
   textContent, never parsed as HTML. */
// ------------------------------------------------------------------ graph
function graph() {
  var g = data.graph;
  if (!g) return;
  var box = section("graph", "Coupled modules", g.note);
  box.appendChild(legend());
  var holder = el("div", { id: "graph-box" });
  box.appendChild(holder);
  if (!g.nodes.length) {
    holder.appendChild(el("p", { class: "note", text: "No vendor coupling: nothing to draw." }));
    return;
  }
  var picture = svg("svg", { id: "graph-svg", width: g.width, height: g.height,
                             viewBox: "0 0 " + g.width + " " + g.height, role: "img",
                             "aria-label": "coupled part of the module graph" });
  var byId = {}, edgesOf = {};
  g.nodes.forEach(function (n) { byId[n.id] = n; edgesOf[n.id] = []; });
  var edgeLayer = svg("g"), nodeLayer = svg("g");
  picture.appendChild(edgeLayer);
  picture.appendChild(nodeLayer);
  g.edges.forEach(function (e) {
    var a = byId[e.source], b = byId[e.target];
    var y1 = a.y + a.h / 2, y2 = b.y + b.h / 2, d;
    if (a.column === b.column) {  // an import inside the column: an arc on its left
      var reach = Math.min(56, 10 + Math.abs(y2 - y1) * 0.12);
      d = "M" + a.x + "," + y1 + " C" + (a.x - reach) + "," + y1 + " " + (b.x - reach) + "," +
          y2 + " " + b.x + "," + y2;
    } else {
      var x1 = a.x + a.w, x2 = b.x, bend = Math.max(30, (x2 - x1) / 2);
      d = "M" + x1 + "," + y1 + " C" + (x1 + bend) + "," + y1 + " " + (x2 - bend) + "," + y2 +
          " " + x2 + "," + y2;
    }
    var width = e.kind === "coupling" ? Math.min(1.2 + Math.log(1 + e.findings) * 1.3, 7) : 1.2;
    var line = svg("path", { class: "edge " + e.kind, "stroke-width": width.toFixed(2), d: d },
      tip(e.kind === "coupling" ? a.label + " → " + b.label + ": " + plural(e.findings, "finding")
                                : a.label + " imports " + b.label));
    edgeLayer.appendChild(line);
    edgesOf[e.source].push([line, e.target]);
    edgesOf[e.target].push([line, e.source]);
  });
  g.nodes.forEach(function (n) {
    var classes = "node " + n.kind + (n.leaks && n.kind !== "leak" ? " has-leaks" : "");
    var node = svg("g", { class: classes, "data-id": n.id, transform: "translate(" + n.x + "," + n.y + ")" });
    if (n.modules > 1) node.appendChild(svg("rect", { class: "stack", x: 4, y: -4, width: n.w, height: n.h, rx: 4 }));
    node.appendChild(svg("rect", { class: "face", width: n.w, height: n.h, rx: n.kind === "vendor" ? 11 : 4 }));
    node.appendChild(svg("text", { class: "mono", x: 12, y: 15, text: n.short }));
    node.appendChild(tip(describe(n)));
    node.addEventListener("mouseenter", function () { focus(n.id, true); });
    node.addEventListener("mouseleave", function () { focus(n.id, false); });
    node.addEventListener("click", function () {
      if (!table) return;
      if (n.kind === "vendor") table.filter("vendor", n.label); else table.filter("path", n.path);
      scrollTo("findings");
    });
    nodeLayer.appendChild(node);
  });
  function focus(id, on) {
    picture.classList.toggle("focusing", on);
    picture.querySelectorAll(".focus").forEach(function (x) { x.classList.remove("focus"); });
    if (!on) return;
    picture.querySelector('[data-id="' + CSS.escape(id) + '"]').classList.add("focus");
    edgesOf[id].forEach(function (pair) {
      pair[0].classList.add("focus");
      picture.querySelector('[data-id="' + CSS.escape(pair[1]) + '"]').classList.add("focus");
    });
  }
  holder.appendChild(picture);
  var room = holder.clientWidth - 2;
  if (g.width > room && room / g.width > 0.7) {  // shrink a little rather than scroll
    picture.setAttribute("width", room);
    picture.setAttribute("height", Math.round(g.height * room / g.width));
  }
}

function describe(n) {
  var words = { vendor: "vendor", gateway: "gateway: the rest of the code reaches the vendor through it",
                leak: "leak: couples to a vendor that has a gateway, past it",
                coupled: "coupled to a vendor", importer: "imports a coupled module" };
  var lines = [n.label, words[n.kind]];
  if (n.modules > 1) lines.push(plural(n.modules, "module") + " in this folder");
  if (n.findings) lines.push(plural(n.findings, "finding"));
  if (n.leaks && n.kind !== "leak") lines.push(plural(n.leaks, "leak"));
  return lines.join("\n");
}

function legend() {
  var keys = [["vendor", "vendor"], ["gateway", "gateway (the way in to a vendor)"],
              ["leak", "leak (coupled past a gateway)"], ["coupled", "coupled module"],
              ["importer", "imports a coupled module"], ["folder", "folder of modules"],
              ["line coupling", "coupling (thicker: more findings)"], ["line import", "import"]];
  return el("div", { class: "legend" }, keys.map(function (k) {
    return el("span", { class: "key" }, el("span", { class: "swatch " + k[0] }), k[1]);
  }));
}
