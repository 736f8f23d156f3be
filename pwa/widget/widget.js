/* Rounds feedback widget: lets a clinician flag an AI tool's output from inside the tool.
   One script tag, no framework, no cookies; see docs/output-feedback.md. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.src) return;
  var CATEGORIES = [
    ["hallucination", "Hallucinated fact"], ["omission", "Left something out"],
    ["wrong_context", "Wrong patient or context"], ["unsafe_suggestion", "Unsafe suggestion"],
    ["outdated", "Outdated guidance"], ["workflow_interruption", "Interrupted my work"],
    ["alert_fatigue", "Alert fatigue"], ["other", "Other"]
  ];
  var HARMS = [["", "Not sure / not given"], ["none", "No harm"], ["mild", "Mild harm"],
    ["moderate", "Moderate harm"], ["severe", "Severe harm"], ["death", "Death"]];
  var base = new URL(script.src).origin;
  var data = script.dataset;
  var pending = null; // {clientId, body}: a send that failed is retried with the same id

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function el(tag, attrs, kids) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k]; else node.setAttribute(k, attrs[k]);
    });
    (kids || []).forEach(function (k) { node.appendChild(k); });
    return node;
  }

  var host = el("span", { "class": "rounds-feedback" });
  var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
  var n = Math.random().toString(36).slice(2, 8);
  var style = el("style", { text:
    ":host{all:initial;font:15px/1.4 system-ui,sans-serif;color:#111}" +
    "button{font:inherit;min-height:40px;padding:6px 14px;border-radius:6px;border:1px solid #0b4f6c;background:#fff;color:#0b4f6c;cursor:pointer}" +
    "button.primary{background:#0b4f6c;color:#fff}button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible{outline:3px solid #f0a202;outline-offset:2px}" +
    "[role=dialog]{position:fixed;z-index:2147483647;inset:auto 12px 12px auto;max-width:min(420px,calc(100vw - 24px));max-height:calc(100vh - 24px);overflow:auto;background:#fff;border:1px solid #444;border-radius:8px;padding:14px;box-shadow:0 6px 24px #0005}" +
    "fieldset{border:0;margin:0 0 10px;padding:0}legend,label.block{font-weight:600;display:block;margin-bottom:4px}" +
    "label{display:block;padding:3px 0}select,textarea{font:inherit;width:100%;box-sizing:border-box;padding:6px}" +
    ".row{display:flex;gap:8px;justify-content:flex-end;margin-top:10px}.note{font-size:13px;color:#444}.status{min-height:1.4em;margin-top:8px}"
  });
  var open = el("button", { type: "button", "aria-haspopup": "dialog", text: data.label || "Flag this output" });
  root.appendChild(style);
  root.appendChild(open);
  var dialog = null;

  function radios(name, items, legend) {
    return el("fieldset", {}, [el("legend", { text: legend })].concat(items.map(function (it) {
      return el("label", {}, [el("input", { type: "radio", name: name + n, value: it[0] }), document.createTextNode(" " + it[1])]);
    })));
  }

  function build() {
    var title = el("h2", { id: "rf-title-" + n, text: "Feedback on this AI output", style: "font-size:17px;margin:0 0 10px" });
    var verdict = radios("verdict", [["helpful", "Helpful"], ["not_helpful", "Not helpful"]], "Was it helpful?");
    var cats = el("fieldset", {}, [el("legend", { text: "What was wrong? (any)" })].concat(CATEGORIES.map(function (c) {
      return el("label", {}, [el("input", { type: "checkbox", value: c[0] }), document.createTextNode(" " + c[1])]);
    })));
    var harm = el("select", { id: "rf-harm-" + n }, HARMS.map(function (h) { return el("option", { value: h[0], text: h[1] }); }));
    var reached = el("input", { type: "checkbox", id: "rf-reached-" + n });
    var comment = el("textarea", { id: "rf-comment-" + n, rows: "3", maxlength: "2000" });
    var status = el("p", { "class": "status", role: "status", "aria-live": "polite" });
    var send = el("button", { type: "submit", "class": "primary", text: "Send" });
    var cancel = el("button", { type: "button", text: "Cancel" });
    var form = el("form", {}, [title, verdict, cats,
      el("label", { "class": "block", "for": harm.id, text: "Harm (AHRQ scale): how bad could it be, or was it?" }), harm,
      el("label", {}, [reached, document.createTextNode(" It reached the patient")]),
      el("label", { "class": "block", "for": comment.id, text: "Comment (optional)" }), comment,
      el("p", { "class": "note", text: "No patient names or numbers, please: they are removed automatically." }),
      el("div", { "class": "row" }, [cancel, send]), status]);
    var box = el("div", { role: "dialog", "aria-modal": "false", "aria-labelledby": title.id, hidden: "" }, [form]);
    cancel.addEventListener("click", close);
    box.addEventListener("keydown", function (e) { if (e.key === "Escape") close(); });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var chosen = form.querySelector("input[name=verdict" + n + "]:checked");
      if (!chosen) { status.textContent = "Choose Helpful or Not helpful."; return; }
      var body = {
        output_ref: data.outputRef || "", model_version: data.modelVersion || "",
        verdict: chosen.value,
        categories: Array.prototype.filter.call(cats.querySelectorAll("input"), function (i) { return i.checked; }).map(function (i) { return i.value; }),
        harm: harm.value || null, harm_reached: reached.checked, comment: comment.value
      };
      if (data.reporter) body.reporter = data.reporter;
      var key = JSON.stringify(body);
      if (!pending || pending.key !== key) pending = { key: key, id: uuid() };
      body.client_id = pending.id;
      send.disabled = true;
      status.textContent = "Sending…";
      submit(body).then(function (msg) {
        status.textContent = msg;
        if (msg === "Thank you: your feedback was sent.") { pending = null; form.reset(); setTimeout(close, 1500); }
      }).then(function () { send.disabled = false; });
    });
    return box;
  }

  function submit(body) {
    return fetch(base + "/api/tools/" + encodeURIComponent(data.tool) + "/output-feedback/", {
      method: "POST", mode: "cors", credentials: "omit",
      headers: { "Content-Type": "application/json", "X-Rounds-Tool-Key": data.key || "" },
      body: JSON.stringify(body)
    }).then(function (r) {
      if (r.ok) return "Thank you: your feedback was sent.";
      return r.json().then(function (e) { return "Not sent: " + (e.detail || r.status); }, function () { return "Not sent (" + r.status + ")."; });
    }, function () { return "Not sent: Rounds cannot be reached. Try again; nothing is sent twice."; });
  }

  function close() {
    if (dialog) dialog.hidden = true;
    open.setAttribute("aria-expanded", "false");
    open.focus();
  }

  open.addEventListener("click", function () {
    if (!dialog) { dialog = build(); root.appendChild(dialog); }
    dialog.hidden = false;
    open.setAttribute("aria-expanded", "true");
    dialog.querySelector("input").focus();
  });

  var target = data.target && document.querySelector(data.target);
  if (target) target.appendChild(host); else script.parentNode.insertBefore(host, script.nextSibling);
  // The host page may change the output shown (and the signed-in clinician) without reloading:
  // RoundsFeedback.set({outputRef: "...", modelVersion: "...", reporter: "..."}).
  var api = window.RoundsFeedback = window.RoundsFeedback || { widgets: [] };
  api.widgets.push(data);
  api.set = function (values) {
    api.widgets.forEach(function (d) { Object.keys(values).forEach(function (k) { d[k] = values[k]; }); });
  };
})();
