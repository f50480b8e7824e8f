/* lockscan HTML report: draws the page from the JSON in #lockscan-data.
   Written for this report; no library. Text from the scanned code is only ever set with
   textContent, never parsed as HTML. */
(function () {
  "use strict";
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

  // ------------------------------------------------------------------ cost per target
  var selectTarget = function () {};

  function targetsChart() {
    var targets = (data.targets || []).slice().sort(function (a, b) {
      return a.effort - b.effort || (a.target < b.target ? -1 : 1);
    });
    if (!targets.length) return;
    var box = section("cost", "Estimated cost of a switch, per target",
      "Effort points (docs/scoring.md): what moving this code to each target would take; " +
      "grade A (little) to F (a rewrite). Cheapest first. Click a bar to see where that cost sits.");
    var most = Math.max.apply(null, targets.map(function (t) { return t.effort; })) || 1;
    var row = 24, label = 150, barMax = 560, width = label + barMax + 190;
    var chart = svg("svg", { id: "targets-chart", width: width, height: targets.length * row + 8,
                             viewBox: "0 0 " + width + " " + (targets.length * row + 8),
                             role: "img", "aria-label": "effort per target" });
    targets.forEach(function (t, i) {
      var y = 4 + i * row, w = Math.max(2, barMax * t.effort / most);
      chart.appendChild(svg("text", { x: label - 8, y: y + 15, "text-anchor": "end", text: t.target }));
      chart.appendChild(svg("rect", { class: "bar", "data-target": t.target, x: label, y: y + 3,
                                      width: w, height: row - 8, rx: 3, fill: GRADES[t.grade] || "#888",
                                      onclick: function () { selectTarget(t.target, true); } },
        tip(t.target + ": " + num(t.effort) + " points, index " + t.index + ", grade " + t.grade)));
      chart.appendChild(svg("text", { x: label + w + 8, y: y + 15,
                                      text: num(t.effort) + " pts · " + t.index + " · " + t.grade }));
    });
    box.appendChild(el("div", { class: "chart" }, chart));
    var extras = [];
    targets.forEach(function (t) {
      Object.keys(t.extra || {}).forEach(function (k) { if (extras.indexOf(k) < 0) extras.push(k); });
    });
    box.appendChild(el("details", null, el("summary", { text: "as a table" }),
      el("table", { class: "findings", id: "targets-table" },
        el("tr", null, ["target", "effort", "index", "grade"].concat(extras).map(function (h) {
          return el("th", { text: h });
        })),
        targets.map(function (t) {
          return el("tr", null, el("td", { text: t.target }), el("td", { text: num(t.effort) }),
            el("td", { text: t.index }), el("td", null, grade(t.grade)),
            extras.map(function (k) { return el("td", { text: show(t.extra ? t.extra[k] : "") }); }));
        }))));
  }

  function grade(letter) {
    return el("span", { class: "grade", style: "background:" + (GRADES[letter] || "#888"), text: letter });
  }
  function show(value) {
    if (value === undefined || value === null) return "";
    if (typeof value === "number") return num(value);
    if (typeof value === "object") {
      return Object.keys(value).map(function (k) { return k + " " + show(value[k]); }).join(", ");
    }
    return String(value);
  }

  // ------------------------------------------------------------------ where the cost sits
  function costMap() {
    var targets = data.targets || [];
    if (!targets.length) return;
    var box = section("where", "Where the cost sits",
      "Each box is a file, sized by its share of the effort towards the chosen target (or by " +
      "its findings) and grouped by folder. Click a box to list its findings.");
    var worst = targets.slice().sort(function (a, b) {
      return b.effort - a.effort || (a.target < b.target ? -1 : 1);
    })[0];
    var picker = el("select", { id: "where-target", onchange: function () { draw(picker.value); } },
      targets.map(function (t) { return el("option", { value: t.target, text: t.target }); }));
    var sizing = el("select", { id: "where-size", onchange: function () { draw(picker.value); } },
      el("option", { value: "effort", text: "effort towards the target" }),
      el("option", { value: "findings", text: "findings (every file)" }));
    var title = el("span", { class: "muted" });
    box.appendChild(el("div", { class: "filters" }, el("label", null, "target", picker),
                       el("label", null, "size by", sizing), title));
    var note = el("p", { class: "note", id: "where-note" });
    var mapBox = el("div", { class: "chart", id: "treemap" });
    var side = el("div", { id: "suggestions" });
    box.appendChild(note);
    box.appendChild(el("div", { class: "cost-panel" }, mapBox, side));

    function draw(name) {
      picker.value = name;
      var t = targets.filter(function (x) { return x.target === name; })[0];
      var cost = data.costs[name], byEffort = sizing.value === "effort";
      title.textContent = num(t.effort) + " points · index " + t.index + " · grade " + t.grade;
      var rest = cost.omitted && t.effort > 0 ? cost.omitted.effort / t.effort : 0;
      note.textContent = byEffort && rest > 0.25
        ? "The " + cost.contributors.length + " largest (file, rule) shares are drawn; the other " +
          num(cost.omitted.contributors) + " (" + Math.round(rest * 100) + "% of the effort) are " +
          "summed in the grey box. Size by findings to see every file."
        : "";
      mapBox.textContent = "";
      side.textContent = "";
      var width = Math.min(Math.max(mapBox.clientWidth, 480), 900);
      mapBox.appendChild(byEffort ? treemap(effortFiles(cost), cost.omitted, "pts", width, 380)
                                  : treemap(findingFiles(), null, "findings", width, 380));
      side.appendChild(el("h3", { text: "The changes that would lower it most" }));
      side.appendChild(cost.suggestions.length
        ? el("ol", null, cost.suggestions.map(function (s) { return el("li", { text: s }); }))
        : el("p", { class: "note", text: "Nothing to change: no finding costs effort towards " + name + "." }));
      document.querySelectorAll("#targets-chart .bar").forEach(function (bar) {
        bar.classList.toggle("selected", bar.getAttribute("data-target") === name);
      });
    }
    selectTarget = function (name, scroll) { draw(name); if (scroll) scrollTo("where"); };
    draw(worst.target);
  }

  // Files and their sizes: [{path, value, lines: [what makes it up]}], in data order.
  function effortFiles(cost) {
    var files = {}, out = [];
    cost.contributors.forEach(function (c) {
      var path = S[c[0]];
      if (!files[path]) out.push(files[path] = { path: path, value: 0, lines: [] });
      files[path].value += c[2];
      files[path].lines.push(S[c[1]] + ": " + num(c[2]) + " pts (" + plural(c[3], "finding") + ")");
    });
    return out;
  }
  function findingFiles() {
    var files = {}, out = [];
    data.findings.forEach(function (r) {
      var path = S[r[0]], rule = S[r[4]];
      if (!files[path]) out.push(files[path] = { path: path, value: 0, rules: {} });
      files[path].value += 1;
      files[path].rules[rule] = (files[path].rules[rule] || 0) + 1;
    });
    out.forEach(function (f) {
      f.lines = sortedCounts(f.rules).slice(0, 8).map(function (r) { return r + ": " + f.rules[r]; });
    });
    return out;
  }

  // Folders to group files by, at most `limit` of them: from one group of everything, the
  // biggest group is split into its subfolders while the count allows (the HTML graph's
  // merge_folders, in lockscan/report/graph_view.py, does the same).
  function folderOf(paths, limit) {
    var groups = [{ name: "", members: paths }];
    function split(group) {
      var parts = {}, names = [];
      group.members.forEach(function (path) {
        var rest = path.slice(group.name.length), cut = rest.indexOf("/");
        var name = cut < 0 ? path : group.name + rest.slice(0, cut + 1);
        if (!parts[name]) { parts[name] = { name: name, members: [] }; names.push(name); }
        parts[name].members.push(path);
      });
      return names.map(function (n) { return parts[n]; });
    }
    for (var changed = true; changed;) {
      changed = false;
      var open = groups.filter(function (g) { return g.members.length > 1; }).sort(function (a, b) {
        return b.members.length - a.members.length || (a.name < b.name ? -1 : 1);
      });
      for (var i = 0; i < open.length && !changed; i++) {
        var parts = split(open[i]);
        if (groups.length - 1 + parts.length <= limit || parts.length === 1) {
          groups.splice(groups.indexOf(open[i]), 1);
          groups = groups.concat(parts);
          changed = true;
        }
      }
    }
    var folder = {};
    groups.forEach(function (g) {
      var name = g.name.slice(-1) === "/" || g.name === "" ? g.name || "./" : g.name.slice(0, g.name.lastIndexOf("/") + 1) || "./";
      g.members.forEach(function (path) { folder[path] = name; });
    });
    return folder;
  }

  function treemap(files, rest, unit, width, height) {
    var folders = {}, order = [];
    var groupOf = folderOf(files.map(function (f) { return f.path; }), 24);
    files.forEach(function (file) {
      var folder = groupOf[file.path];
      if (!folders[folder]) { folders[folder] = { name: folder, value: 0, files: [] }; order.push(folder); }
      folders[folder].value += file.value;
      folders[folder].files.push(file);
    });
    var groups = order.map(function (k) { return folders[k]; });
    if (rest && rest.effort > 0) groups.push({ name: "", value: rest.effort, rest: rest });
    groups.sort(function (a, b) { return b.value - a.value || (a.name < b.name ? -1 : 1); });
    var chart = svg("svg", { width: width, height: height, viewBox: "0 0 " + width + " " + height,
                             role: "img", "aria-label": "by folder and file" });
    if (!groups.length) {
      chart.appendChild(svg("text", { x: 10, y: 24, text: "No effort towards this target." }));
      return chart;
    }
    squarify(groups, { x: 0, y: 0, w: width, h: height }).forEach(function (box, index) {
      var g = box.item, colour = g.rest ? "#e4e7eb" : PALETTE[index % PALETTE.length];
      if (g.rest) {
        chart.appendChild(svg("rect", { class: "cell rest", x: box.x, y: box.y, width: box.w, height: box.h,
                                        fill: colour },
          tip(plural(g.rest.contributors, "more file-and-rule share") + ": " + num(g.rest.effort) +
              " points, " + plural(g.rest.findings, "finding"))));
        label(chart, box, "+" + num(g.rest.contributors) + " more", num(g.rest.effort) + " " + unit);
        return;
      }
      var head = box.h > 44 && box.w > 60 ? 16 : 0;
      var inside = g.files.slice().sort(function (a, b) {
        return b.value - a.value || (a.path < b.path ? -1 : 1);
      });
      squarify(inside, { x: box.x, y: box.y + head, w: box.w, h: box.h - head }).forEach(function (cell) {
        var file = cell.item;
        chart.appendChild(svg("rect", { class: "cell", "data-path": file.path, x: cell.x, y: cell.y,
                                        width: cell.w, height: cell.h, fill: colour,
                                        onclick: function () { if (table) { table.filter("path", file.path); scrollTo("findings"); } } },
          tip(file.path + "\n" + num(file.value) + " " + unit + "\n" + file.lines.join("\n"))));
        label(chart, cell, file.path.slice(file.path.lastIndexOf("/") + 1), num(file.value) + " " + unit);
      });
      chart.appendChild(svg("rect", { x: box.x, y: box.y, width: box.w, height: box.h, fill: "none",
                                      stroke: "#fff", "stroke-width": 3, "pointer-events": "none" }));
      if (head) {
        chart.appendChild(svg("text", { class: "folder-label", x: box.x + 5, y: box.y + 12,
                                        text: folderLabel(g.name, num(g.value), box.w - 10) },
                              tip(g.name + " · " + num(g.value) + " " + unit)));
      }
    });
    return chart;
  }

  function label(chart, box, name, value) {
    if (box.w < 46 || box.h < 18) return;
    chart.appendChild(svg("text", { x: box.x + 4, y: box.y + 13, "pointer-events": "none",
                                    text: clip(name, box.w - 8) }));
    if (box.h >= 32) {
      chart.appendChild(svg("text", { x: box.x + 4, y: box.y + 27, class: "muted", "pointer-events": "none",
                                      fill: "#57606a", text: clip(value, box.w - 8) }));
    }
  }
  function clip(text, width) {
    var fits = Math.floor(width / 6.6);
    return text.length <= fits ? text : text.slice(0, Math.max(fits - 1, 1)) + "…";
  }
  function clipStart(text, width) {  // keeps the end of a path: "…/models/openai/"
    var fits = Math.max(Math.floor(width / 6.6), 2);
    return text.length <= fits ? text : "…" + text.slice(text.length - fits + 1);
  }
  // "libs/agno/models/ · 120", else "…/models/ · 120", else the folder's own name clipped.
  function folderLabel(name, value, width) {
    var fits = Math.floor(width / 6.6), own = name.replace(/\/$/, "").split("/").pop() + "/";
    if ((name + " · " + value).length <= fits) return name + " · " + value;
    if (("…/" + own + " · " + value).length <= fits) return (own === name ? "" : "…/") + own + " · " + value;
    return clip(own, width);
  }

  // Squarified treemap (Bruls, Huizing, van Wijk): rows of boxes along the shorter side,
  // a box joining the row while that keeps the row's worst aspect ratio from growing.
  function squarify(items, rect) {
    var total = items.reduce(function (s, i) { return s + i.value; }, 0);
    if (!(total > 0) || rect.w <= 0 || rect.h <= 0) return [];
    var scale = rect.w * rect.h / total, x = rect.x, y = rect.y, w = rect.w, h = rect.h, out = [];
    var rest = items.filter(function (i) { return i.value > 0; })
      .map(function (i) { return { item: i, area: i.value * scale }; });
    function worst(row, side) {
      var sum = 0, max = 0, min = Infinity;
      row.forEach(function (r) { sum += r.area; max = Math.max(max, r.area); min = Math.min(min, r.area); });
      return Math.max(side * side * max / (sum * sum), sum * sum / (side * side * min));
    }
    while (rest.length) {
      var side = Math.min(w, h), row = [rest[0]], i = 1;
      while (i < rest.length && worst(row.concat([rest[i]]), side) <= worst(row, side)) row.push(rest[i++]);
      rest = rest.slice(i);
      var area = row.reduce(function (s, r) { return s + r.area; }, 0), thick = area / side, offset = 0;
      row.forEach(function (r) {
        var length = r.area / thick;
        if (w >= h) out.push({ item: r.item, x: x, y: y + offset, w: thick, h: length });
        else out.push({ item: r.item, x: x + offset, y: y, w: length, h: thick });
        offset += length;
      });
      if (w >= h) { x += thick; w -= thick; } else { y += thick; h -= thick; }
    }
    return out;
  }

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
})();
