// yibao-policy page: posts the form to /v1/evaluate (one region) or /v1/compare
// (several) and shows the answer. Plain DOM, text only (no innerHTML of data).
"use strict";
(function () {
  var data = JSON.parse(document.getElementById("yibao-data").textContent);
  var W = data.words, L = data.labels;
  var AREAS = ["credit", "lapse", "family", "transfer", "withdrawal"];
  var KIND = {relations: "relations", uses: "uses", scope: "scopes", blockers: "blockers", grounds: "grounds", conditions: "conditions",
              channel: "channels", balance: "balance", balance_within_province: "balance"};
  var AREA_KEYS = ["layer", "modelled", "stale", "citations", "disputed", "not_modelled", "notes", "parameters"];

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) {
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }
  function label(kind, code) { return (L[kind] && L[kind][code]) || code; }
  function shown(field, value) {
    if (value === null || value === undefined) return L.values.not_modelled;
    if (value === true) return L.values["true"];
    if (value === false) return L.values["false"];
    if (Array.isArray(value) && value.length && typeof value[0] === "object") {
      return value.map(shownObject).join("\n");  // e.g. family.channels: one line each
    }
    if (value !== null && typeof value === "object" && !Array.isArray(value)) return shownObject(value);
    if (Array.isArray(value)) {
      if (!value.length) return L.values.none;
      return value.map(function (v) { return KIND[field] ? label(KIND[field], v) : String(v); }).join(data.lang === "zh" ? "、" : ", ");
    }
    if (KIND[field]) return label(KIND[field], value);
    return String(value);
  }

  function shownObject(item) {
    var head = item.channel ? label("channels", item.channel) : "";
    var rest = Object.keys(item).filter(function (k) { return k !== "channel"; }).map(function (k) {
      return label("fields", k) + ": " + shown(k, item[k]);
    });
    return head + (head && rest.length ? " — " : "") + rest.join("; ");
  }

  // --- the form -----------------------------------------------------------------------
  var periods = document.getElementById("periods");
  function addPeriod(from, to) {
    var row = el("div", {"class": "period"}, [
      el("label", {}, [W.from + " ", el("input", {"class": "from", placeholder: "YYYY-MM", size: "8", value: from || ""})]),
      el("label", {}, [" " + W.to + " ", el("input", {"class": "to", placeholder: "YYYY-MM", size: "8", value: to || ""})]),
      el("button", {type: "button", "class": "remove"}, [W.remove])
    ]);
    row.querySelector(".remove").addEventListener("click", function () { row.remove(); });
    periods.appendChild(row);
  }
  var m = data.member;
  document.getElementById("category").value = m.category;
  document.getElementById("tier").value = String(m.tier || 1);
  document.getElementById("contribution_base").value = m.contribution_base || "";
  document.getElementById("balance").value = m.balance || "";
  document.getElementById("arrears").checked = !!m.arrears;
  (m.contributions || []).forEach(function (p) { addPeriod(p.from, p.to); });
  document.getElementById("add-period").addEventListener("click", function () { addPeriod("", ""); });

  function member() {
    var out = {category: document.getElementById("category").value, tier: Number(document.getElementById("tier").value)};
    var base = document.getElementById("contribution_base").value.trim();
    var balance = document.getElementById("balance").value.trim();
    if (base) out.contribution_base = base;
    if (balance) out.balance = balance;
    if (document.getElementById("arrears").checked) out.arrears = true;
    var rows = Array.prototype.slice.call(periods.querySelectorAll(".period"));
    var ranges = rows.map(function (r) {
      return {from: r.querySelector(".from").value.trim(), to: r.querySelector(".to").value.trim()};
    }).filter(function (r) { return r.from || r.to; });
    if (ranges.length) out.contributions = ranges;
    return out;
  }

  // --- the answer ---------------------------------------------------------------------
  var answer = document.getElementById("answer");
  var problem = document.getElementById("problem");
  function showProblem(text) { problem.textContent = text; problem.hidden = false; }

  function headline(name, result) {
    var c = result.credit, l = result.lapse;
    var parts = [];
    parts.push(c.monthly_credit === null ? label("fields", "monthly_credit") + ": " + L.values.not_modelled
                                         : W.credit_line.replace("{0}", c.monthly_credit));
    if (l.pooled_benefits === null) parts.push(label("fields", "pooled_benefits") + ": " + L.values.not_modelled);
    else if (l.pooled_benefits) parts.push(W.benefits_yes);
    else parts.push(W.benefits_no + (l.pooled_benefits_resume ? W.benefits_from.replace("{0}", l.pooled_benefits_resume) : ""));
    parts.push(l.account_usable ? W.account_yes : W.account_no);
    return el("li", {"class": "headline"}, [el("strong", {}, [name + ": "]), parts.join(zh() ? ";" : "; ")]);
  }
  function zh() { return data.lang === "zh"; }
  function regionName(result) { return (result.region_name && result.region_name[data.lang]) || result.region; }

  function fields(area, results) {
    var names = [];
    results.forEach(function (r) {
      Object.keys(r[area]).forEach(function (k) {
        if (AREA_KEYS.indexOf(k) < 0 && names.indexOf(k) < 0) names.push(k);
      });
    });
    return names;
  }
  function sources(area, results, labels) {
    var box = el("details", {"class": "sources"}, [el("summary", {}, [W.sources + " · " + label("areas", area)])]);
    results.forEach(function (r, i) {
      var list = el("ul", {}, []);
      r[area].citations.forEach(function (c) {
        // compact JSON: a citation names its document by id in the answer's `sources` map
        var doc = (r.sources && r.sources[c.source]) || c;
        list.appendChild(el("li", {}, [
          el("cite", {}, [String(doc.title)]), " — " + doc.publisher + ", " + doc.date + " (" + W.confidence + " " + c.confidence + "): ",
          el("q", {}, [c.quote])
        ]));
      });
      box.appendChild(el("p", {}, [labels[i] + " (" + r[area].layer + ")"]));
      box.appendChild(list);
    });
    return box;
  }
  function table(labels, results, differing) {
    var head = el("tr", {}, [el("th", {}, [L.words.field])].concat(labels.map(function (x) { return el("th", {}, [x]); })));
    var wrap = el("div", {}, []);
    AREAS.forEach(function (area) {
      var rows = [el("tr", {"class": "area"}, [el("th", {colspan: String(labels.length + 1)}, [label("areas", area)])])];
      fields(area, results).forEach(function (f) {
        var differs = differing[area + "." + f];
        var cells = results.map(function (r) { return el("td", {}, [shown(f, r[area][f])]); });
        var name = el("th", {scope: "row"}, [label("fields", f) + (differs ? " ≠" : "")]);
        rows.push(el("tr", differs ? {"class": "differs", title: W.differ} : {}, [name].concat(cells)));
      });
      wrap.appendChild(el("table", {"class": "answer", "data-area": area}, [el("thead", {}, [head.cloneNode(true)]), el("tbody", {}, rows)]));
      wrap.appendChild(sources(area, results, labels));
    });
    return wrap;
  }

  function provenance(labels, results) {
    var list = el("ul", {}, []);
    results.forEach(function (r, i) {
      var p = r.provenance;
      if (!p) return;
      var layers = p.layers.map(function (l) {
        return l.code + " (" + (l.distribution ? l.distribution + " " + l.version : "—") + ", sha256 " + l.parameters_sha256.slice(0, 12) + ")";
      });
      list.appendChild(el("li", {}, [labels[i] + ": yibao " + p.yibao_version + " · " + layers.join(" < ") + " · " + p.evaluated_at]));
    });
    return el("details", {id: "provenance"}, [el("summary", {}, [W.provenance]), list]);
  }

  // The month strip of each region: SVG drawn by the server (POST /v1/timeline with
  // Accept: image/svg+xml), shown as an image, so nothing in it runs.
  function strips(codes, labels, body) {
    var box = el("section", {id: "strips"}, [el("h3", {}, [W.strip])]);
    codes.forEach(function (code, i) {
      var figure = el("figure", {"class": "strip", "data-region": code}, [el("figcaption", {}, [labels[i]])]);
      box.appendChild(figure);
      fetch("/v1/timeline?lang=" + data.lang, {method: "POST", headers: {"Content-Type": "application/json", "Accept": "image/svg+xml"},
                                               body: JSON.stringify({region: code, member: body.member})})
        .then(function (response) { return response.ok ? response.blob() : Promise.reject(response.status); })
        .then(function (blob) {
          figure.appendChild(el("img", {src: URL.createObjectURL(blob), alt: W.strip + " · " + labels[i]}));
        })
        .catch(function () { figure.remove(); });
    });
    return box;
  }

  function showEvaluation(result) {
    answer.replaceChildren(
      el("h2", {}, [W.answer + " · " + regionName(result) + " · " + result.as_of]),
      el("ul", {id: "summary"}, [headline(regionName(result), result)]),
      table([regionName(result)], [result], {}),
      provenance([regionName(result)], [result])
    );
  }
  function showComparison(comparison) {
    var labels = [], results = [], differing = {};
    comparison.regions.forEach(function (target) {
      var r = comparison.results[target];
      if (r) { results.push(r); labels.push(regionName(r) + (target.indexOf("@") > 0 ? " @" + target.split("@")[1] : "")); }
    });
    comparison.differences.forEach(function (d) { differing[d.area + "." + d.field] = true; });
    var summary = el("ul", {id: "summary"}, results.map(function (r, i) { return headline(labels[i], r); }));
    Object.keys(comparison.failures).forEach(function (target) {
      summary.appendChild(el("li", {"class": "failed"}, [el("strong", {}, [target + ": "]), W.failed + " — " + comparison.failures[target]]));
    });
    answer.replaceChildren(el("h2", {}, [L.words.comparison + " · " + comparison.as_of]), summary, table(labels, results, differing),
                           provenance(labels, results));
  }

  document.getElementById("ask").addEventListener("submit", function (event) {
    event.preventDefault();
    problem.hidden = true;
    var regions = Array.prototype.slice.call(document.querySelectorAll("input[name=region]:checked")).map(function (x) { return x.value; });
    if (!regions.length) { showProblem(W.choose); return; }
    var body = {member: member()};
    var asOf = document.getElementById("as_of").value.trim();
    if (asOf) body.as_of = asOf;
    var url = "/v1/evaluate";
    if (regions.length === 1) body.region = regions[0]; else { body.regions = regions; url = "/v1/compare"; }
    answer.replaceChildren(el("p", {"class": "working"}, [W.working]));
    fetch(url, {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)})
      .then(function (response) {
        return response.json().then(function (json) { return {ok: response.ok, json: json}; });
      })
      .then(function (reply) {
        if (!reply.ok) { answer.replaceChildren(); showProblem(reply.json.detail || reply.json.title); return; }
        if (regions.length === 1) showEvaluation(reply.json); else showComparison(reply.json);
        var codes = regions.filter(function (r) { return r.indexOf("@") < 0; });
        var names = codes.map(function (code) {
          var box = document.querySelector("input[name=region][value='" + code + "']");
          return box ? box.parentNode.textContent.trim().split(" ")[0] : code;
        });
        answer.insertBefore(strips(codes, names, body), answer.children[2] || null);
        answer.dispatchEvent(new CustomEvent("yibao:answer", {detail: {body: body, regions: regions}}));  // why.js listens
      })
      .catch(function (error) { answer.replaceChildren(); showProblem(String(error)); });
  });
})();
