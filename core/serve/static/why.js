// yibao-policy page: "为什么 / why" under each answer and under each month strip.
// It listens for the "yibao:answer" event app.js sends on #answer once an answer is
// shown (detail: the request body and the regions asked), adds a <details> under each
// area's table and each strip, and on opening one posts to /v1/explain and unfolds the
// steps. Plain DOM, text only (no innerHTML of data). Kept apart from app.js.
"use strict";
(function () {
  var data = JSON.parse(document.getElementById("yibao-data").textContent);
  var zh = data.lang === "zh";
  var T = zh ? {why: "为什么 / why", working: "计算中……", month: "月份", overridden: "被覆盖层的步骤,未采用", answered: "作答层",
                read: "参保人", none: "无有效值", failed: "无法说明:"}
             : {why: "为什么 / why", working: "Working…", month: "Month", overridden: "an overridden layer's step, not applied",
                answered: "answered by", read: "member", none: "no value in force", failed: "Cannot explain: "};

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return node;
  }
  function text(value) {
    if (value === null || value === undefined) return "—";
    if (Array.isArray(value)) return value.map(text).join(", ");
    if (typeof value === "object") return Object.keys(value).map(function (k) { return k + " " + text(value[k]); }).join("; ");
    return String(value);
  }

  // An area's heading: its label and the layer that answered by name, as the tables say them (no codes).
  function heading(area) {
    var name = (data.labels.areas || {})[area.area] || area.area;
    return el("p", {"class": "why-area"}, [name + " · " + T.answered + " " + (data.places[area.layer] || area.layer)]);
  }

  function post(body) {
    return fetch("/v1/explain", {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)})
      .then(function (response) {
        return response.json().then(function (json) { return response.ok ? json : Promise.reject(json.detail || json.title); });
      });
  }

  // One area's steps: numbered, the values each read with their passages, × for an overridden layer.
  function steps(area, passages, sources) {
    var list = el("ol", {"class": "why-steps", "data-area": area.area}, []);
    area.steps.forEach(function (step) {
      var item = el("li", {"data-code": step.code, "class": step.overridden ? "overridden" : ""},
                    [(step.overridden ? "× " : "") + (zh ? step.zh : step.en)]);
      if (step.overridden) item.setAttribute("title", T.overridden);
      if (step.facts.length) {
        item.appendChild(el("div", {"class": "why-facts"}, [T.read + ": " + step.facts.map(function (f) {
          return f.path + " " + text(f.value);
        }).join(", ")]));
      }
      step.params.forEach(function (read) {
        (read.passages || []).forEach(function (id) {
          var c = passages[id], doc = sources[c.source] || {};
          item.appendChild(el("div", {"class": "why-source"}, [
            read.name + ": ", el("cite", {}, [String(doc.title || c.source)]), " (" + c.confidence + ") ", el("q", {}, [c.quote])
          ]));
        });
      });
      list.appendChild(item);
    });
    return list;
  }

  function unfold(box, body, pick) {
    var shown = false;
    box.addEventListener("toggle", function () {
      if (!box.open || shown) return;
      shown = true;
      var out = el("div", {"class": "why-body"}, [T.working]);
      box.appendChild(out);
      post(body).then(function (explanation) {
        var parts = (pick ? explanation.areas.filter(pick) : explanation.areas).map(function (area) {
          return el("div", {}, [heading(area), steps(area, explanation.passages, explanation.sources)]);
        });
        var own = explanation.steps.map(function (step) { return el("li", {"data-code": step.code}, [zh ? step.zh : step.en]); });
        out.replaceChildren.apply(out, (own.length ? [el("ol", {"class": "why-own"}, own)] : []).concat(parts));
      }).catch(function (reason) { out.replaceChildren(T.failed + String(reason)); shown = false; });
    });
  }

  // Under each area's table: the evaluation's steps for that area (one region asked).
  function underAnswers(detail) {
    if (detail.regions.length !== 1) return;
    Array.prototype.slice.call(document.querySelectorAll("#answer table.answer[data-area]")).forEach(function (table) {
      var area = table.getAttribute("data-area");
      var box = el("details", {"class": "why", "data-area": area}, [el("summary", {}, [T.why])]);
      var body = {region: detail.regions[0], member: detail.body.member, area: area};
      if (detail.body.as_of) body.as_of = detail.body.as_of;
      unfold(box, body);
      table.parentNode.insertBefore(box, table.nextSibling);
    });
  }

  // Under each month strip: choose a month, see why it is what it is.
  function underStrips(detail) {
    Array.prototype.slice.call(document.querySelectorAll("#strips figure[data-region]")).forEach(function (figure) {
      if (figure.querySelector("details.why-month")) return;
      var region = figure.getAttribute("data-region");
      var select = el("select", {"class": "why-month-choice", "aria-label": T.month}, []);
      var box = el("details", {"class": "why-month", "data-region": region}, [el("summary", {}, [T.why]), select]);
      var out = el("div", {"class": "why-body"}, []);
      box.appendChild(out);
      var filled = false;
      box.addEventListener("toggle", function () {
        if (!box.open || filled) return;
        filled = true;
        fetch("/v1/timeline", {method: "POST", headers: {"Content-Type": "application/json"},
                               body: JSON.stringify({region: region, member: detail.body.member})})
          .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
          .then(function (timeline) {
            timeline.months.forEach(function (row) {
              var mark = row.pooled_benefits === true ? "●" : row.paid ? "◐" : "○";
              select.appendChild(el("option", {value: row.month}, [row.month + " " + mark]));
            });
            select.value = detail.body.as_of ? detail.body.as_of.slice(0, 7) : timeline.months[timeline.months.length - 1].month;
            if (select.selectedIndex < 0) select.selectedIndex = 0;
            show();
          })
          .catch(function (reason) { out.replaceChildren(T.failed + String(reason)); filled = false; });
      });
      function show() {
        out.replaceChildren(T.working);
        post({region: region, member: detail.body.member, month: select.value}).then(function (explanation) {
          var own = explanation.steps.map(function (step) { return el("li", {"data-code": step.code}, [zh ? step.zh : step.en]); });
          out.replaceChildren.apply(out, [el("ol", {"class": "why-own"}, own)].concat(explanation.areas.map(function (area) {
            return el("div", {}, [heading(area), steps(area, explanation.passages, explanation.sources)]);
          })));
        }).catch(function (reason) { out.replaceChildren(T.failed + String(reason)); });
      }
      select.addEventListener("change", show);
      figure.appendChild(box);
    });
  }

  document.getElementById("answer").addEventListener("yibao:answer", function (event) {
    underAnswers(event.detail);
    underStrips(event.detail);
  });
})();
