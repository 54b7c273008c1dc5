// yibao-policy page: posts the form to /v1/evaluate (one region) or /v1/compare
// (several), the move form to /page/move, and shows the answer. Plain DOM, text only
// (no innerHTML of data). Numbers read as the CLI prints them (2%, 12,000.00).
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
  var MONEY = {monthly_credit: true, base_applied: true};
  var NULL_IS_NOT_MODELLED = {monthly_credit: 1, base_applied: 1, rate: 1, pooled_benefits: 1, account_usable: 1, scope: 1,
                              relationship_transferable: 1, balance_transferable: 1, balance_within_province: 1};
  function label(kind, code) { return (L[kind] && L[kind][code]) || code; }
  function place(code) { return data.places[code] || code; }
  function sep() { return zh() ? ";" : ", "; }

  // --- numbers as the CLI prints them: exact, from the decimal strings of the JSON -------
  function money(text) {
    var s = String(text), negative = s.charAt(0) === "-";
    if (negative) s = s.slice(1);
    if (!/^\d+(\.\d+)?$/.test(s)) return String(text);
    var parts = s.split("."), whole = parts[0], fen = ((parts[1] || "") + "00").slice(0, 2);
    if (parts[1] && parts[1].length > 2) {  // round half up to the fen, as the library does
      var cents = BigInt(whole + parts[1].slice(0, 2)) + (Number(parts[1].charAt(2)) >= 5 ? 1n : 0n);
      var c = cents.toString().padStart(3, "0");
      whole = c.slice(0, -2); fen = c.slice(-2);
    }
    whole = whole.replace(/^0+(?=\d)/, "").replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return (negative ? "-" : "") + whole + "." + fen;
  }
  function percent(text) {
    var s = String(text);
    if (!/^\d+(\.\d+)?$/.test(s)) return s;
    var parts = s.split("."), digits = parts[0] + ((parts[1] || "") + "00");
    var point = parts[0].length + 2, whole = digits.slice(0, point).replace(/^0+(?=\d)/, ""), rest = digits.slice(point).replace(/0+$/, "");
    return whole + (rest ? "." + rest : "") + "%";
  }
  function cell(field, block) {
    var value = block[field];
    if ((value === null || value === undefined) && block.modelled === false && NULL_IS_NOT_MODELLED[field]) return L.values.not_modelled;
    return shown(field, value);
  }
  function shown(field, value) {
    if (value === null || value === undefined) return L.values.none;
    if (field === "rate") return percent(value);
    if (MONEY[field]) return money(value);
    if (value === true) return L.values["true"];
    if (value === false) return L.values["false"];
    if (Array.isArray(value) && value.length && typeof value[0] === "object") {
      return value.map(shownObject).join("\n");  // e.g. family.channels: one line each
    }
    if (value !== null && typeof value === "object" && !Array.isArray(value)) return shownObject(value);
    if (Array.isArray(value)) {
      if (!value.length) return L.values.none;
      return value.map(function (v) { return KIND[field] ? label(KIND[field], v) : String(v); }).join(sep());
    }
    if (KIND[field]) return label(KIND[field], value);
    return String(value);
  }

  function shownObject(item) {
    var head = item.channel ? label("channels", item.channel) : "";
    var rest = Object.keys(item).filter(function (k) { return k !== "channel"; }).map(function (k) {
      return label("fields", k) + (zh() ? ":" : ": ") + shown(k, item[k]);
    });
    return head + (head && rest.length ? " — " : "") + rest.join(zh() ? ";" : "; ");
  }

  // --- the form -----------------------------------------------------------------------
  var periods = document.getElementById("periods");
  function addPeriod(from, to) {
    var row = el("div", {"class": "period"}, [
      el("label", {}, [W.from + " ", el("input", {"class": "from", placeholder: "YYYY-MM", size: "8", value: from || ""})]),
      el("label", {}, [" " + W.to + " ", el("input", {"class": "to", placeholder: W.still_paying, size: "8", value: to || ""})]),
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
      var range = {from: r.querySelector(".from").value.trim()}, to = r.querySelector(".to").value.trim();
      if (to) range.to = to;  // a blank "to": still paying, as {"from": "2025-12"} says in a member file
      return range;
    }).filter(function (r) { return r.from || r.to; });
    if (ranges.length) out.contributions = ranges;
    return out;
  }

  // --- the answer ---------------------------------------------------------------------
  var answer = document.getElementById("answer");
  var problem = document.getElementById("problem");
  function showProblem(text) { problem.textContent = text; problem.hidden = false; }

  // A problem+json in the page's language: the field in words, the reason as labels.toml says it.
  function fieldWords(path) {
    var P = L.paths || {}, words = [];
    var parts = String(path).split(".");
    for (var i = 0; i < parts.length; i++) {
      var m = /^([^\[]+)((?:\[\d+\])*)$/.exec(parts[i]);
      if (!m || !P[m[1]]) return path;
      words.push(P[m[1]]);
      (m[2].match(/\d+/g) || []).forEach(function (n) { words.push(P.item.replace("{n}", String(Number(n) + 1))); });
    }
    if (zh()) return words.slice(0, -1).join("") + (words.length > 1 ? "的" : "") + words[words.length - 1];
    if (words.length > 1 && parts[0] === "member") words.shift();  // "“from” of period 1 of the contribution periods"
    return words.slice().reverse().join(" of ");
  }
  function reasonWords(reason) {
    for (var i = 0; i < data.errors.length; i++) {
      var found = new RegExp("^(?:" + data.errors[i][0] + ")$", "s").exec(reason);
      if (found) return data.errors[i][1].replace(/\{(\w+)\}/g, function (_, name) { return found.groups[name]; });
    }
    return reason;
  }
  function problemText(json) {
    var detail = String(json.detail || json.title || "");
    var field = json.field, reason = detail;
    if (field && detail.indexOf(field + ": ") === 0) reason = detail.slice(field.length + 2);
    var text = reasonWords(reason);
    return W.problem + (zh() ? ":" : ": ") + (field ? fieldWords(field) + (zh() ? ":" : ": ") : "") + text;
  }

  function headline(name, result) {
    var c = result.credit, l = result.lapse;
    var parts = [];
    var rate = c.rate !== null && c.base_applied !== null ? " (" + W.rate_of.replace("{0}", percent(c.rate)).replace("{1}", money(c.base_applied)) + ")" : "";
    parts.push(c.monthly_credit === null ? label("fields", "monthly_credit") + (zh() ? ":" : ": ") + L.values.not_modelled
                                         : W.credit_line.replace("{0}", money(c.monthly_credit)) + (zh() ? rate.replace(" (", "(").replace(")", ")") : rate));
    if (l.pooled_benefits === null) parts.push(label("fields", "pooled_benefits") + (zh() ? ":" : ": ") + L.values.not_modelled);
    else if (l.pooled_benefits) parts.push(W.benefits_yes);
    else parts.push(W.benefits_no + (l.pooled_benefits_resume ? W.benefits_from.replace("{0}", l.pooled_benefits_resume) : ""));
    parts.push(l.account_usable ? W.account_yes : W.account_no);
    return el("li", {"class": "headline"}, [el("strong", {}, [name + (zh() ? ":" : ": ")]), parts.join(zh() ? ";" : "; ")]);
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
          el("cite", {}, [data.titles[doc.title] || String(doc.title)]), " — " + doc.publisher + ", " + doc.date + " (" + W.confidence + " " + c.confidence + "): ",
          el("q", {}, [c.quote])
        ]));
      });
      box.appendChild(el("p", {}, [labels[i] + " (" + place(r[area].layer) + ")"]));
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
        var cells = results.map(function (r) { return el("td", {}, [cell(f, r[area])]); });
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
        return place(l.code) + " (" + (l.distribution ? l.distribution + " " + l.version : "—") + ", sha256 " + l.parameters_sha256.slice(0, 12) + ")";
      });
      list.appendChild(el("li", {}, [labels[i] + ": yibao " + p.yibao_version + " · " + layers.join(" < ") + " · " + p.evaluated_at]));
    });
    return el("details", {id: "provenance"}, [el("summary", {}, [W.provenance]), list]);
  }

  // The month strip of each region: SVG drawn by the server (POST /v1/timeline with
  // Accept: image/svg+xml), shown as an image, so nothing in it runs.
  function strips(codes, labels, body, heading) {
    var box = el("section", {id: "strips"}, [el("h3", {}, [heading || W.strip])]);
    codes.forEach(function (code, i) {
      var figure = el("figure", {"class": "strip", "data-region": code}, [el("figcaption", {}, [labels[i]])]);
      box.appendChild(figure);
      fetch("/v1/timeline?lang=" + data.lang, {method: "POST", headers: {"Content-Type": "application/json", "Accept": "image/svg+xml"},
                                               body: JSON.stringify(Object.assign({region: code, member: body.member}, body.from ? {from: body.from} : {}))})
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
      summary.appendChild(el("li", {"class": "failed"}, [el("strong", {}, [place(target.split("@")[0]) + ": "]),
                                                          W.failed + " — " + reasonWords(comparison.failures[target])]));
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
        if (!reply.ok) { answer.replaceChildren(); showProblem(problemText(reply.json)); return; }
        if (regions.length === 1) showEvaluation(reply.json); else showComparison(reply.json);
        var codes = regions.filter(function (r) { return r.indexOf("@") < 0; });
        answer.insertBefore(strips(codes, codes.map(place), body), answer.children[2] || null);
        answer.dispatchEvent(new CustomEvent("yibao:answer", {detail: {body: body, regions: regions}}));  // why.js listens
      })
      .catch(function (error) { answer.replaceChildren(); showProblem(String(error)); });
  });

  // --- the move form ------------------------------------------------------------------
  var origin = document.getElementById("origin"), destination = document.getElementById("destination");
  origin.value = "shenzhen" in data.places ? "shenzhen" : origin.value;
  destination.value = "zhejiang" in data.places ? "zhejiang" : (destination.options[1] || destination.options[0]).value;

  function previousMonth(month) {
    var y = Number(month.slice(0, 4)), m = Number(month.slice(5, 7)) - 1;
    if (m === 0) { y -= 1; m = 12; }
    return String(y).padStart(4, "0") + "-" + String(m).padStart(2, "0");
  }
  // The destination's strip: the member's months before the move were paid in the origin.
  function movedMember(member, from, month) {
    var out = Object.assign({}, member);
    if (!member.contributions) return out;
    var ranges = [];
    member.contributions.forEach(function (r) {
      if (r.to && r.to < month) ranges.push(Object.assign({}, r, {region: from}));
      else if (r.from >= month) ranges.push(r);
      else {
        ranges.push(Object.assign({}, r, {to: previousMonth(month), region: from}));
        ranges.push(Object.assign({}, r, {from: month}));
      }
    });
    out.contributions = ranges;
    return out;
  }
  function showMove(reply, body) {
    var m = reply.move;
    var title = place(m.origin.code) + " → " + place(m.destination.code) + " · " + m.on;
    var details = el("table", {"class": "details"}, [el("tbody", {}, reply.details.map(function (row) {
      return el("tr", {}, [el("th", {scope: "row"}, [row[0]]), el("td", {}, [row[1]])]);
    }))]);
    var steps = el("ol", {id: "move-steps"}, reply.steps.map(function (text) { return el("li", {}, [text]); }));
    answer.replaceChildren(
      el("h2", {}, [W.move + " · " + title]),
      el("ul", {id: "summary", "class": "move"}, reply.headline.map(function (line) { return el("li", {"class": "headline"}, [line]); })),
      el("h3", {}, [W.details]), details,
      el("h3", {}, [W.steps]), steps
    );
    var member = movedMember(body.member, m.origin.code, m.on.slice(0, 7));
    var span = {member: member, from: String(Number(m.on.slice(0, 4)) - 1) + "-01"};  // from the year before the move
    answer.appendChild(strips([m.destination.code], [place(m.destination.code)], span, W.strip_of));
  }
  document.getElementById("move-form").addEventListener("submit", function (event) {
    event.preventDefault();
    problem.hidden = true;
    var body = {origin: origin.value, destination: destination.value, member: member()};
    var on = document.getElementById("on").value.trim();
    if (on) body.on = on;
    answer.replaceChildren(el("p", {"class": "working"}, [W.working]));
    fetch("/page/move?lang=" + data.lang, {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)})
      .then(function (response) { return response.json().then(function (json) { return {ok: response.ok, json: json}; }); })
      .then(function (reply) {
        if (!reply.ok) { answer.replaceChildren(); showProblem(problemText(reply.json)); return; }
        showMove(reply.json, body);
      })
      .catch(function (error) { answer.replaceChildren(); showProblem(String(error)); });
  });
})();
