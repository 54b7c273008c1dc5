// yibao-policy page: the coverage map (GET /v1/coverage), a table people can read
// before they ask: per region and area, modelled or not, the layer that answers, the
// weakest confidence and what is uncertain. Plain DOM, text only.
"use strict";
(function () {
  var data = JSON.parse(document.getElementById("yibao-data").textContent);
  var W = data.words, L = data.labels, zh = data.lang === "zh";
  var AREAS = ["credit", "lapse", "family", "transfer", "withdrawal"];
  var host = document.getElementById("coverage");
  if (!host) return;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }
  var names = {national: zh ? "国家" : "national"};  // layer code -> the name people read
  function cell(area) {
    var parts = [area.modelled ? (zh ? "是" : "yes") : (zh ? "否" : "no"), names[area.layer] || area.layer];
    if (area.confidence) parts.push(area.confidence);
    [["uncertain_starts", "undated", "起始未定"], ["disputed", "disputed", "有争议"], ["stale", "stale", "可能过时"]].forEach(function (k) {
      var n = area[k[0]].length;
      if (n) parts.push(n + " " + (zh ? k[2] : k[1]));
    });
    return parts.join(" · ");
  }
  function draw(map) {
    map.regions.forEach(function (region) { names[region.code] = (zh ? region.name_zh : region.name_en) || region.code; });
    host.textContent = "";
    host.appendChild(el("h2", {id: "coverage-title"}, W.coverage + " — " + map.as_of));
    var table = el("table", {id: "coverage-table"});
    var head = el("tr");
    head.appendChild(el("th", {scope: "col"}, W.region));
    AREAS.forEach(function (a) { head.appendChild(el("th", {scope: "col"}, (L.areas && L.areas[a]) || a)); });
    table.appendChild(el("thead")).appendChild(head);
    var body = table.appendChild(el("tbody"));
    map.regions.forEach(function (region) {
      var row = el("tr", {"data-region": region.code});
      row.appendChild(el("th", {scope: "row"}, names[region.code]));
      AREAS.forEach(function (a) {
        var area = region.areas[a];
        var td = el("td", {"data-area": a, "class": area ? (area.modelled ? "modelled" : "not-modelled") : "failed"},
                    area ? cell(area) : (region.failed || "—"));
        if (area && area.not_modelled.length) td.title = area.not_modelled.join(", ");
        row.appendChild(td);
      });
      body.appendChild(row);
    });
    host.appendChild(table);
    host.appendChild(el("p", {"class": "note"}, W.coverage_note));
  }
  var asOf = document.getElementById("as_of");
  function load() {
    var day = asOf && /^\d{4}-\d{2}-\d{2}$/.test(asOf.value) ? "?as_of=" + asOf.value : "";
    fetch("/v1/coverage" + day).then(function (r) { return r.ok ? r.json() : null; }).then(function (map) { if (map) draw(map); });
  }
  if (asOf) asOf.addEventListener("change", load);
  load();
})();
