// Dashboard panel: flags raised on an AI tool's outputs, per model version, live, with bursts.
import { dataTable, humanize, tableScroller } from "../charts.js";
import { closeOnLeave, LiveSocket, wsUrl } from "../live.js";
import { h } from "../dom.js";

const LATEST = 20;

function cap(name) {
  const text = humanize(name);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function harmText(flag) {
  if (!flag.harm) return "harm not given";
  return `${cap(flag.harm)} harm, ${flag.harm_reached ? "reached the patient" : "possible"}`;
}

function flagItem(flag) {
  const when = new Date(flag.created_at).toLocaleString();
  const what = flag.categories.length ? flag.categories.map(cap).join(", ") : "no category";
  return h("li", { id: `flag-${flag.id}`, class: flag.harm_reached ? "flag reached" : "flag" },
    h("strong", {}, flag.verdict === "helpful" ? "Helpful" : "Not helpful"),
    ` · model ${flag.model_version} · ${what} · ${harmText(flag)} `,
    flag.comment ? h("q", {}, flag.comment) : null,
    h("span", { class: "muted" }, ` · ${flag.anonymous ? "anonymous" : "signed"} · ${when}`));
}

function meanOf(means) {
  const values = Object.values(means || {});
  return values.length ? (values.reduce((a, b) => a + b, 0) / values.length).toFixed(2) : "–";
}

// Model versions side by side: ratings of screens showing each version, and flags on its outputs.
function versionTable(compare) {
  return dataTable("Model versions side by side",
    ["model version", "released", "ratings", "mean rating (1–5)", "flags", "not helpful", "harm reached", "top categories"],
    compare.versions.map((v) => [
      v.flags.burst ? `${v.model_version} (burst)` : v.model_version, v.released_at || "–",
      String(v.ratings.count), meanOf(v.ratings.means), String(v.flags.count), String(v.flags.not_helpful),
      String(v.flags.harm_reached),
      Object.entries(v.flags.categories).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([c, n]) => `${cap(c)} ${n}`).join(", ") || "–",
    ]));
}

function ci(entry) {
  return entry.ci95 ? `${entry.ci95[0]}–${entry.ci95[1]}` : "–";
}

const INSTRUMENT_NAMES = { sus: "SUS", umux_lite: "UMUX-Lite", seq: "SEQ", nasa_tlx: "NASA-TLX (raw)", pdqi9: "PDQI-9" };

// Questionnaire results with n and 95% CI, overall and by role and unit.
function instrumentTable(results) {
  const rows = [];
  for (const [name, entry] of Object.entries(results)) {
    rows.push([INSTRUMENT_NAMES[name] || humanize(name), "all", String(entry.n), String(entry.score), ci(entry)]);
    for (const [role, sub] of Object.entries(entry.by_role || {})) rows.push(["", `role: ${humanize(role)}`, String(sub.n), String(sub.score), ci(sub)]);
    for (const [unit, sub] of Object.entries(entry.by_unit || {})) rows.push(["", `unit: ${sub.name || unit}`, String(sub.n), String(sub.score), ci(sub)]);
  }
  return dataTable("Questionnaires (mean, n, 95% confidence interval)", ["instrument", "group", "n", "score", "95% CI"], rows);
}

/** The panel; `setTool(id)` switches the tool shown. Returns {el, setTool}. */
export function flagsPanel({ api }) {
  const alertBox = h("div", { id: "flag-bursts", role: "alert" });
  const tableBox = h("div", { id: "flag-versions" });
  const instrumentBox = h("div", { id: "instrument-results" });
  const list = h("ol", { id: "flag-list", class: "flags", "aria-live": "polite", "aria-label": "Latest flags" });
  const flagsNone = h("p", { class: "muted", id: "flags-none" }, "No flags raised on this tool's outputs yet.");
  const el = h("section", { class: "card dash", "aria-labelledby": "flags-h" },
    h("h2", { id: "flags-h" }, "Model versions, AI output flags and questionnaires"), alertBox, tableBox,
    h("h3", {}, "Latest flags"), list, flagsNone, h("h3", {}, "Questionnaires"), instrumentBox);
  let toolId = null;
  let timer = null;

  async function load() {
    if (!toolId) { tableBox.replaceChildren(h("p", { class: "muted" }, "No tools yet.")); return; }
    try {
      const tool = encodeURIComponent(toolId);
      const [stats, compare, page, questionnaires] = await Promise.all([
        api(`/api/stats/output-feedback/?tool=${tool}`),
        api(`/api/stats/versions/?tool=${tool}`),
        api(`/api/tools/${tool}/output-feedback/?page_size=${LATEST}`),
        api(`/api/stats/instruments/?tool=${tool}`),
      ]);
      const bursts = stats.versions.filter((v) => v.burst);
      alertBox.replaceChildren(...bursts.map((v) => h("p", { class: "error burst" },
        `Burst: ${v.recent_not_helpful} not-helpful flags on model version ${v.model_version} in the last ${stats.burst_rule.minutes} minutes.`)));
      tableBox.replaceChildren(compare.versions.length ? tableScroller(versionTable(compare), "Model versions side by side") : h("p", { class: "muted", id: "flags-empty" }, "No model versions recorded for this tool yet."));
      instrumentBox.replaceChildren(Object.keys(questionnaires.instruments).length
        ? tableScroller(instrumentTable(questionnaires.instruments), "Questionnaires") : h("p", { class: "muted" }, "No questionnaire answers yet."));
      list.replaceChildren(...page.results.map(flagItem));
      flagsNone.hidden = page.results.length > 0;
    } catch (err) {
      tableBox.replaceChildren(h("p", { class: "error" }, `Could not load flags: ${err.message}`));
    }
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(load, 300);  // a burst of flags reloads the table once
  }

  const socket = new LiveSocket(wsUrl("/ws/output-feedback/"), {
    onFrame: (frame) => {
      const tool = frame.flag ? frame.flag.tool : frame.burst && frame.burst.tool;
      if (String(tool) !== String(toolId)) return;
      if (frame.type === "flag" && !document.getElementById(`flag-${frame.flag.id}`)) {
        list.prepend(flagItem(frame.flag));
        while (list.children.length > LATEST) list.lastChild.remove();
      }
      later();
    },
  }).open();
  closeOnLeave(socket, "/dashboard");
  return { el, setTool: (id) => { toolId = id; return load(); } };
}
