/* lockscan HTML report, part 2 of 4: the cost per target and where it sits.
   The four parts run as one script, in order, inside one function (assets/page.html);
   written for this report, no library. Text from the scanned code is only ever set with
   textContent, never parsed as HTML. */
// ------------------------------------------------------------------ cost per target
var selectTarget = function () {};

function targetsChart() {
  var targets = (data.targets || []).slice().sort(function (a, b) {
    return a.lines - b.lines || (a.target < b.target ? -1 : 1);
  });
  if (!targets.length) return;
  var box = section("cost", "Estimated cost of a switch",
    "Estimated lines of code to change (docs/scoring.md), with the interval about half of " +
    "real migrations fall in; grade A (an afternoon) to F (more than a quarter). Cheapest " +
    "first. Click a bar to see where that cost sits.");
  if ((data.leave || []).length) {
    box.appendChild(el("h3", { text: "Leaving a vendor" }));
    box.appendChild(el("ul", { id: "leave-list" }, data.leave.map(function (l) {
      var where = l.supported_by.length
        ? "which the code already supports (" + l.supported_by.slice(0, 2).join(", ") + ")"
        : "the cheapest alternative";
      return el("li", { text: l.vendor + ": ~" + num(l.lines) + " lines (" + num(l.low) + "–" +
        num(l.high) + ") in " + plural(l.files, "file") + ", to " + l.target + ", " + where });
    })));
    box.appendChild(el("h3", { text: "Moving everything to one target" }));
  }
  var most = Math.max.apply(null, targets.map(function (t) { return t.lines; })) || 1;
  var row = 24, label = 150, barMax = 560, width = label + barMax + 190;
  var chart = svg("svg", { id: "targets-chart", width: width, height: targets.length * row + 8,
                           viewBox: "0 0 " + width + " " + (targets.length * row + 8),
                           role: "img", "aria-label": "estimated lines to change per target" });
  targets.forEach(function (t, i) {
    var y = 4 + i * row, w = Math.max(2, barMax * t.lines / most);
    chart.appendChild(svg("text", { x: label - 8, y: y + 15, "text-anchor": "end", text: t.target }));
    chart.appendChild(svg("rect", { class: "bar", "data-target": t.target, x: label, y: y + 3,
                                    width: w, height: row - 8, rx: 3, fill: GRADES[t.grade] || "#888",
                                    onclick: function () { selectTarget(t.target, true); } },
      tip(t.target + ": ~" + num(t.lines) + " lines (" + num(t.low) + "–" + num(t.high) +
          ") in " + plural(t.files, "file") + ", grade " + t.grade)));
    chart.appendChild(svg("text", { x: label + w + 8, y: y + 15,
                                    text: "~" + num(t.lines) + " lines · " + t.grade }));
  });
  box.appendChild(el("div", { class: "chart" }, chart));
  box.appendChild(el("details", null, el("summary", { text: "as a table" }),
    el("table", { class: "findings", id: "targets-table" },
      el("tr", null, ["target", "lines", "interval", "files", "grade", "notes"].map(function (h) {
        return el("th", { text: h });
      })),
      targets.map(function (t) {
        return el("tr", null, el("td", { text: t.target }), el("td", { text: "~" + num(t.lines) }),
          el("td", { text: num(t.low) + "–" + num(t.high) }), el("td", { text: num(t.files) }),
          el("td", null, grade(t.grade)), el("td", { text: targetNotes(t) }));
      }))));
}

// What a reader weighs beside the number: support already there, where the lines come
// from, stored data to rebuild.
function targetNotes(t) {
  var notes = [];
  if (t.supported_by.length) notes.push("already supports " + t.target + " (" + t.supported_by.slice(0, 2).join(", ") + ")");
  var sources = Object.keys(t.by_source);
  if (sources.length > 1 || (sources.length === 1 && sources[0] === t.target && t.lines)) {
    notes.push(sources.map(function (v) {
      return "~" + num(t.by_source[v]) + " from " + (v === t.target ? "upgrading your " + v + " code" : "your " + v + " code");
    }).join(", "));
  }
  if (t.data_migrations.length) notes.push("+ stored data to rebuild in " + plural(t.data_migrations.length, "file"));
  return notes.join("; ");
}

function grade(letter) {
  return el("span", { class: "grade", style: "background:" + (GRADES[letter] || "#888"), text: letter });
}

// ------------------------------------------------------------------ where the cost sits
function costMap() {
  var targets = data.targets || [];
  if (!targets.length) return;
  var box = section("where", "Where the cost sits",
    "Each box is a file, sized by its share of the lines to change for the chosen target (or by " +
    "its findings) and grouped by folder. Click a box to list its findings.");
  var worst = targets.slice().sort(function (a, b) {
    return b.lines - a.lines || (a.target < b.target ? -1 : 1);
  })[0];
  var picker = el("select", { id: "where-target", onchange: function () { draw(picker.value); } },
    targets.map(function (t) { return el("option", { value: t.target, text: t.target }); }));
  var sizing = el("select", { id: "where-size", onchange: function () { draw(picker.value); } },
    el("option", { value: "effort", text: "lines to change for the target" }),
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
    title.textContent = "~" + num(t.lines) + " lines (" + num(t.low) + "–" + num(t.high) + ") · " +
      plural(t.files, "file") + " · grade " + t.grade;
    var rest = cost.omitted && t.lines > 0 ? cost.omitted.lines / t.lines : 0;
    note.textContent = byEffort && rest > 0.25
      ? "The " + cost.contributors.length + " largest (file, rule) shares are drawn; the other " +
        num(cost.omitted.contributors) + " (" + Math.round(rest * 100) + "% of the lines) are " +
        "summed in the grey box. Size by findings to see every file."
      : "";
    mapBox.textContent = "";
    side.textContent = "";
    var width = Math.min(Math.max(mapBox.clientWidth, 480), 900);
    mapBox.appendChild(byEffort ? treemap(effortFiles(cost), cost.omitted, "lines", width, 380)
                                : treemap(findingFiles(), null, "findings", width, 380));
    side.appendChild(el("h3", { text: "The changes that would lower it most" }));
    side.appendChild(cost.suggestions.length
      ? el("ol", null, cost.suggestions.map(function (s) { return el("li", { text: s }); }))
      : el("p", { class: "note", text: "Nothing to change: no finding costs anything towards " + name + "." }));
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
    files[path].value += c[4];
    files[path].lines.push(S[c[1]] + ": ~" + num(c[4]) + " lines (" + plural(c[3], "finding") + ")");
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
  if (rest && rest.lines > 0) groups.push({ name: "", value: rest.lines, rest: rest });
  groups.sort(function (a, b) { return b.value - a.value || (a.name < b.name ? -1 : 1); });
  var chart = svg("svg", { width: width, height: height, viewBox: "0 0 " + width + " " + height,
                           role: "img", "aria-label": "by folder and file" });
  if (!groups.length) {
    chart.appendChild(svg("text", { x: 10, y: 24, text: "Nothing to change for this target." }));
    return chart;
  }
  squarify(groups, { x: 0, y: 0, w: width, h: height }).forEach(function (box, index) {
    var g = box.item, colour = g.rest ? "#e4e7eb" : PALETTE[index % PALETTE.length];
    if (g.rest) {
      chart.appendChild(svg("rect", { class: "cell rest", x: box.x, y: box.y, width: box.w, height: box.h,
                                      fill: colour },
        tip(plural(g.rest.contributors, "more file-and-rule share") + ": " + num(g.rest.lines) +
            " lines, " + plural(g.rest.findings, "finding"))));
      label(chart, box, "+" + num(g.rest.contributors) + " more", num(g.rest.lines) + " " + unit);
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
