// SVG charts drawn in the page (no library, no CDN): stacked bar, line chart, grouped bars, data tables.
import { svg } from "./dom.js";

let uid = 0;

// Okabe–Ito palette: distinguishable with the common colour-vision deficiencies.
export const PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#7a6a00", "#555555"];
export const COMPONENT_COLORS = {
  safety: "#D55E00", severity: "#E69F00", reach_people: "#0072B2", reach_units: "#56B4E9",
  reach_roles: "#009E73", time_lost: "#CC79A7", ratings: "#7a6a00", comments: "#555555",
};

export function componentColor(name, index = 0) {
  return COMPONENT_COLORS[name] || PALETTE[index % PALETTE.length];
}

export function humanize(name) {
  return String(name).replace(/_/g, " ");
}

export function fmt(value) {
  const n = Number(value) || 0;
  return Math.abs(n) >= 100 ? String(Math.round(n)) : String(Math.round(n * 100) / 100);
}

const el = svg;

// An <svg role="img"> labelled by its own <title> and <desc>, as screen readers expect.
function svgRoot(width, height, title, desc, className) {
  const id = `chart-${++uid}`;
  const svg = el("svg", {
    viewBox: `0 0 ${width} ${height}`, role: "img", class: className,
    "aria-labelledby": `${id}-t ${id}-d`, preserveAspectRatio: "xMidYMid meet",
  });
  svg.append(el("title", { id: `${id}-t` }, title), el("desc", { id: `${id}-d` }, desc));
  return svg;
}

// Horizontal stacked bar of a priority breakdown; `fraction` (0..1) is the bar's share of the track.
export function stackedBar(breakdown, { fraction = 1, label = "Priority breakdown" } = {}) {
  const entries = Object.entries(breakdown || {}).filter(([, v]) => Number(v) > 0);
  const total = entries.reduce((s, [, v]) => s + Number(v), 0);
  const desc = entries.length
    ? entries.map(([k, v]) => `${humanize(k)} ${fmt(v)}`).join(", ")
    : "no evidence yet";
  const svg = svgRoot(100, 10, `${label}: ${fmt(total)}`, desc, "stacked-bar");
  svg.setAttribute("preserveAspectRatio", "none");
  svg.append(el("rect", { x: 0, y: 0, width: 100, height: 10, class: "track" }));
  let x = 0;
  const span = 100 * Math.max(0, Math.min(1, fraction));
  entries.forEach(([name, value], i) => {
    const w = total ? (span * Number(value)) / total : 0;
    const rect = el("rect", { x, y: 0, width: w, height: 10, fill: componentColor(name, i), "data-component": name });
    rect.append(el("title", {}, `${humanize(name)}: ${fmt(value)}`));
    svg.append(rect);
    x += w;
  });
  return svg;
}

export function legend(names) {
  const ul = document.createElement("ul");
  ul.className = "legend";
  names.forEach((name, i) => {
    const li = document.createElement("li");
    const swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.style.background = componentColor(name, i);
    swatch.setAttribute("aria-hidden", "true");
    li.append(swatch, humanize(name));
    ul.append(li);
  });
  return ul;
}

// A plain table: the accessible (and copyable) form of every chart.
export function dataTable(caption, headers, rows) {
  const table = document.createElement("table");
  table.className = "data-table";
  const cap = document.createElement("caption");
  cap.textContent = caption;
  const head = document.createElement("tr");
  headers.forEach((h) => { const th = document.createElement("th"); th.scope = "col"; th.textContent = h; head.append(th); });
  const thead = document.createElement("thead");
  thead.append(head);
  const tbody = document.createElement("tbody");
  rows.forEach((row) => {
    const tr = document.createElement("tr");
    row.forEach((cell, i) => {
      const td = document.createElement(i === 0 ? "th" : "td");
      if (i === 0) td.scope = "row";
      td.textContent = cell;
      tr.append(td);
    });
    tbody.append(tr);
  });
  table.append(cap, thead, tbody);
  return table;
}

/** A wide table in a box that scrolls sideways on a phone, reachable by keyboard. */
export function tableScroller(table, label) {
  const box = document.createElement("div");
  box.className = "table-box";
  box.tabIndex = 0;
  box.setAttribute("role", "region");
  box.setAttribute("aria-label", label);
  box.append(table);
  return box;
}

function niceMax(value) {
  if (value <= 5) return 5;
  const mag = 10 ** Math.floor(Math.log10(value));
  return Math.ceil(value / mag) * mag;
}

function yAxis(svg, box, max, ticks = 5) {
  for (let i = 0; i <= ticks; i++) {
    const v = (max * i) / ticks;
    const y = box.bottom - ((box.bottom - box.top) * i) / ticks;
    svg.append(el("line", { x1: box.left, x2: box.right, y1: y, y2: y, class: "grid" }));
    svg.append(el("text", { x: box.left - 8, y: y + 5, "text-anchor": "end", class: "tick" }, fmt(v)));
  }
}

// Lines over time: series [{label, points: [{t, value, highlight}]}]; highlighted points are marked.
export function lineChart({ title, desc, series, width = 720, height = 320, highlightLabel = "" }) {
  const svg = svgRoot(width, height, title, desc, "line-chart");
  const box = { left: 48, right: width - 32, top: 16, bottom: height - 40 };
  const times = series[0] ? series[0].points.map((p) => p.t) : [];
  const max = niceMax(Math.max(1, ...series.flatMap((s) => s.points.map((p) => p.value))));
  yAxis(svg, box, max, max <= 10 ? max : 5); // counts: whole-number ticks (6, not 1.2 steps)
  const xOf = (i) => box.left + (times.length > 1 ? ((box.right - box.left) * i) / (times.length - 1) : 0);
  const yOf = (v) => box.bottom - ((box.bottom - box.top) * v) / max;
  const every = Math.max(1, Math.ceil(times.length / 8));
  times.forEach((t, i) => {
    if (i % every === 0) svg.append(el("text", { x: xOf(i), y: height - 14, "text-anchor": "middle", class: "tick" }, t.slice(5)));
  });
  series.forEach((s, si) => {
    const color = PALETTE[si % PALETTE.length];
    const d = s.points.map((p, i) => `${i ? "L" : "M"}${xOf(i).toFixed(1)},${yOf(p.value).toFixed(1)}`).join(" ");
    const g = el("g", { class: "series", "data-key": s.key ?? s.label });
    g.append(el("path", { d, fill: "none", stroke: color, "stroke-width": 3, "stroke-linejoin": "round" }));
    s.points.forEach((p, i) => {
      if (!p.highlight) return;
      const dot = el("circle", { cx: xOf(i), cy: yOf(p.value), r: 5 + Math.min(6, p.highlight), class: "highlight" });
      dot.append(el("title", {}, `${s.label}, ${p.t}: ${p.value} (${p.highlight} ${highlightLabel})`));
      g.append(dot);
    });
    svg.append(g);
  });
  return svg;
}

// Grouped bars: groups [{label, bars: [{name, value}]}] on a 0..max scale; bar colours by name.
export function groupedBars({ title, desc, groups, names, max = 5, width = 720, height = 320 }) {
  const svg = svgRoot(width, height, title, desc, "grouped-bars");
  const box = { left: 40, right: width - 16, top: 16, bottom: height - 48 };
  yAxis(svg, box, max, max <= 10 ? max : 5);
  const slot = (box.right - box.left) / Math.max(1, groups.length);
  const barW = Math.max(4, Math.min(36, (slot * 0.8) / Math.max(1, names.length)));
  groups.forEach((group, gi) => {
    const start = box.left + gi * slot + (slot - barW * names.length) / 2;
    names.forEach((name, ni) => {
      const bar = group.bars.find((b) => b.name === name);
      if (!bar) return;
      const h = ((box.bottom - box.top) * bar.value) / max;
      const rect = el("rect", { x: start + ni * barW, y: box.bottom - h, width: barW - 2, height: h, fill: componentColor(name, ni) });
      rect.append(el("title", {}, `${group.label}, ${humanize(name)}: ${fmt(bar.value)}`));
      svg.append(rect);
    });
    svg.append(el("text", { x: box.left + gi * slot + slot / 2, y: height - 24, "text-anchor": "middle", class: "tick" }, group.label));
  });
  return svg;
}
