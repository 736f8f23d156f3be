// Dashboard panel: flags raised on an AI tool's outputs, per model version, live, with bursts.
import { dataTable, humanize } from "../charts.js";
import { closeOnLeave, LiveSocket, wsUrl } from "../live.js";

const LATEST = 20;

function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (v !== false && v !== null && v !== undefined) node.setAttribute(k, v === true ? "" : v);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

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

function versionTable(stats) {
  return dataTable("Flags by model version", ["model version", "flags", "not helpful", "harm reached", "top categories"],
    stats.versions.map((v) => [
      v.burst ? `${v.model_version} (burst)` : v.model_version, String(v.count), String(v.not_helpful),
      String(v.harm_reached),
      Object.entries(v.categories).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([c, n]) => `${cap(c)} ${n}`).join(", ") || "–",
    ]));
}

/** The panel; `setTool(id)` switches the tool shown. Returns {el, setTool}. */
export function flagsPanel({ api }) {
  const alertBox = h("div", { id: "flag-bursts", role: "alert" });
  const tableBox = h("div", { id: "flag-versions" });
  const list = h("ol", { id: "flag-list", class: "flags", "aria-live": "polite", "aria-label": "Latest flags" });
  const el = h("section", { class: "card dash", "aria-labelledby": "flags-h" },
    h("h2", { id: "flags-h" }, "AI output flags"), alertBox, tableBox, h("h3", {}, "Latest flags"), list);
  let toolId = null;
  let timer = null;

  async function load() {
    if (!toolId) { tableBox.replaceChildren(h("p", { class: "muted" }, "No tools yet.")); return; }
    try {
      const [stats, page] = await Promise.all([
        api(`/api/stats/output-feedback/?tool=${encodeURIComponent(toolId)}`),
        api(`/api/tools/${encodeURIComponent(toolId)}/output-feedback/?page_size=${LATEST}`),
      ]);
      const bursts = stats.versions.filter((v) => v.burst);
      alertBox.replaceChildren(...bursts.map((v) => h("p", { class: "error burst" },
        `Burst: ${v.recent_not_helpful} not-helpful flags on model version ${v.model_version} in the last ${stats.burst_rule.minutes} minutes.`)));
      tableBox.replaceChildren(stats.versions.length ? versionTable(stats) : h("p", { class: "muted", id: "flags-empty" }, "No flags on this tool yet."));
      list.replaceChildren(...page.results.map(flagItem));
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
