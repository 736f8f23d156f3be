// Dashboard: pain points over time by workflow or unit, and each tool's ratings by screen version.
import { dataTable, fmt, groupedBars, humanize, legend, lineChart, PALETTE } from "../charts.js";
import { flagsPanel } from "./flags.js";
import { h } from "../dom.js";

const RANGES = [{ weeks: 12, label: "12 weeks" }, { weeks: 26, label: "26 weeks" }, { weeks: 52, label: "1 year" }];

function isoDay(date) {
  return date.toISOString().slice(0, 10);
}

function radios(name, legendText, choices, selected, onchange) {
  return h("fieldset", { class: "segmented" }, h("legend", {}, legendText),
    ...choices.map(([value, label]) => h("label", {},
      h("input", { type: "radio", name, value, checked: value === selected, onchange: () => onchange(value) }), label)));
}

// A chart with a "show as table" switch; the table is always in the DOM for screen readers.
function chartWithTable(svg, table, keyLegend) {
  const tableBox = h("div", { class: "table-box sr-only" }, table);
  const toggle = h("button", { type: "button", class: "secondary", "aria-expanded": "false", onclick: () => {
    const shown = tableBox.classList.toggle("sr-only");
    toggle.setAttribute("aria-expanded", String(!shown));
    // Shown, a wide table scrolls sideways: keyboard users must be able to reach it.
    if (shown) tableBox.removeAttribute("tabindex");
    else tableBox.setAttribute("tabindex", "0");
    toggle.textContent = shown ? "Show as table" : "Hide table";
  } }, "Show as table");
  return [keyLegend, h("div", { class: "chart" }, svg), toggle, tableBox];
}

function seriesLegend(series) {
  const ul = h("ul", { class: "legend" });
  series.forEach((s, i) => {
    const swatch = h("span", { class: "swatch line", "aria-hidden": "true" });
    swatch.style.background = PALETTE[i % PALETTE.length];
    ul.append(h("li", {}, swatch, s.label));
  });
  ul.append(h("li", {}, h("span", { class: "swatch dot", "aria-hidden": "true" }), "patient-safety reports"));
  return ul;
}

async function drawPain(box, api, opts) {
  box.replaceChildren(h("p", { class: "muted" }, "Loading…"));
  const since = new Date(Date.now() - opts.weeks * 7 * 86400000);
  let data;
  try {
    data = await api(`/api/stats/pain-points/?by=${opts.by}&bucket=week&since=${isoDay(since)}`);
  } catch (err) {
    box.replaceChildren(h("p", { class: "error" }, `Could not load pain points: ${err.message}`));
    return;
  }
  if (!data.series.length) {
    box.replaceChildren(h("p", { class: "muted", id: "pain-empty" }, "No observations in this period."));
    return;
  }
  const total = data.series.reduce((n, s) => n + s.points.reduce((m, p) => m + p.count, 0), 0);
  const safety = data.series.reduce((n, s) => n + s.points.reduce((m, p) => m + p.safety, 0), 0);
  const series = data.series.map((s) => ({ key: s.key, label: s.label,
    points: s.points.map((p) => ({ t: p.t, value: p.count, highlight: p.safety })) }));
  const svg = lineChart({
    title: `Pain points per week by ${data.by}`,
    desc: `${total} observations, ${safety} of them patient-safety, from ${data.since} to ${data.until}, across ${series.length} ${data.by}s.`,
    series, highlightLabel: "patient-safety",
  });
  const weeks = data.series[0].points.map((p) => p.t);
  const table = dataTable(`Observations per week by ${data.by} (patient-safety in brackets)`,
    [humanize(data.by), ...weeks],
    data.series.map((s) => [s.label, ...s.points.map((p) => (p.safety ? `${p.count} (${p.safety})` : String(p.count)))]));
  box.replaceChildren(
    h("p", { class: "summary" }, h("strong", {}, String(total)), " pain points, ",
      h("strong", { class: "safety-count" }, String(safety)), " patient-safety"),
    ...chartWithTable(svg, table, seriesLegend(data.series)));
}

async function drawRatings(box, api, toolId) {
  if (!toolId) { box.replaceChildren(h("p", { class: "muted" }, "No tools yet.")); return; }
  box.replaceChildren(h("p", { class: "muted" }, "Loading…"));
  let data;
  try {
    data = await api(`/api/stats/ratings/?tool=${encodeURIComponent(toolId)}`);
  } catch (err) {
    box.replaceChildren(h("p", { class: "error" }, `Could not load ratings: ${err.message}`));
    return;
  }
  const rated = data.screens.filter((s) => s.count);
  if (!rated.length) {
    box.replaceChildren(h("p", { class: "muted", id: "ratings-empty" }, "No ratings for this tool yet."));
    return;
  }
  const names = [...new Set(rated.flatMap((s) => Object.keys(s.means)))].sort();
  const groups = rated.map((s) => ({ label: `${s.title} v${s.version}`,
    bars: Object.entries(s.means).map(([name, value]) => ({ name, value })) }));
  const svg = groupedBars({
    title: "Mean ratings by screen version (1–5)",
    desc: rated.map((s) => `${s.title} v${s.version}, ${s.count} ratings: ${Object.entries(s.means).map(([k, v]) => `${humanize(k)} ${fmt(v)}`).join(", ")}`).join(". "),
    groups, names, max: 5,
  });
  const table = dataTable("Mean ratings by screen version", ["screen", "ratings", ...names.map(humanize)],
    rated.map((s) => [`${s.title} v${s.version}`, String(s.count), ...names.map((n) => (n in s.means ? fmt(s.means[n]) : "–"))]));
  box.replaceChildren(...chartWithTable(svg, table, legend(names)));
}

async function loadTools(api) {
  try {
    const page = await api("/api/tools/");
    return page.results || page;
  } catch (err) {
    return [];
  }
}

// The tool shown first: the first of (at most 8) tools whose screens have ratings, so a fresh
// dashboard opens on something to read rather than on an empty tool.
async function firstRated(api, tools) {
  const checked = await Promise.all(tools.slice(0, 8).map((t) =>
    api(`/api/stats/ratings/?tool=${encodeURIComponent(t.id)}`)
      .then((d) => d.screens.some((s) => s.count)).catch(() => false)));
  const found = tools[checked.indexOf(true)] || tools[0];
  return found ? found.id : undefined;
}

export async function render(main, { api, state }) {
  const opts = { by: "workflow", weeks: 12 };
  const painBox = h("div", { id: "pain-chart", "aria-live": "polite" });
  const ratingsBox = h("div", { id: "ratings-chart", "aria-live": "polite" });
  const themesSection = h("section", { class: "card dash", "aria-labelledby": "themes-h", id: "themes-section" });
  const tools = await loadTools(api);
  const first = await firstRated(api, tools);
  const flags = flagsPanel({ api });
  const picker = h("select", { id: "tool-picker", onchange: (e) => { drawRatings(ratingsBox, api, e.target.value); flags.setTool(e.target.value); } },
    ...tools.map((t) => h("option", { value: String(t.id), selected: t.id === first }, t.name)));
  main.replaceChildren(
    h("h1", {}, "Dashboard"),
    h("section", { class: "card dash", "aria-labelledby": "pain-h" },
      h("h2", { id: "pain-h" }, "Pain points over time"),
      h("div", { class: "row controls" },
        radios("pain-by", "Group by", [["workflow", "Workflow"], ["unit", "Unit"]], opts.by, (v) => { opts.by = v; drawPain(painBox, api, opts); }),
        radios("pain-range", "Period", RANGES.map((r) => [String(r.weeks), r.label]), String(opts.weeks), (v) => { opts.weeks = Number(v); drawPain(painBox, api, opts); })),
      painBox),
    h("section", { class: "card dash", "aria-labelledby": "ratings-h" },
      h("h2", { id: "ratings-h" }, "Ratings by screen version"),
      h("div", { class: "field" }, h("label", { for: "tool-picker" }, "Tool"), picker),
      ratingsBox),
    flags.el,
    themesSection);
  await Promise.all([drawPain(painBox, api, opts), drawRatings(ratingsBox, api, first), flags.setTool(first),
    import("./themes.js").then((m) => m.renderThemes(themesSection, { api, me: state && state.me }))]);
}
