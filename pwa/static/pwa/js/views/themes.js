// Themes on the dashboard: an affinity view of what people keep reporting (GET /api/themes/),
// from which a product owner creates one backlog item carrying all of a theme's evidence.
import { h } from "../dom.js";
const PERIODS = [[7, "7 days"], [30, "30 days"], [90, "90 days"]];

function humanize(word) {
  return String(word).replace(/_/g, " ");
}

function countOf(theme) {
  const e = theme.evidence;
  const parts = [[e.observations.length, "observation"], [e.comments.length, "session comment"],
    [e.ratings.length, "rating comment"]].filter(([n]) => n);
  return parts.map(([n, what]) => `${n} ${what}${n === 1 ? "" : "s"}`).join(", ");
}

// A heading that reads as words, not a word list: the example report's first clause (the label's
// distinctive words are listed under it as key words).
export function themeTitle(theme, max = 80) {
  const text = String((theme.example && theme.example.text) || "").trim().replace(/\s+/g, " ");
  if (!text) return theme.label ? `Reports about ${keyWords(theme)}` : "Untitled theme";
  const clause = text.match(/^(.{20,}?)[.;:!?](\s|$)/);
  const first = clause ? clause[1] : text;
  if (first.length <= max) return first;
  const cut = first.slice(0, max).replace(/\s+\S*$/, "");
  return `${cut}…`;
}

// The label's words, lower case unless spelled as an acronym (MAR, PDFs).
function keyWords(theme) {
  return String(theme.label || "").split(" · ").filter(Boolean)
    .map((w) => ((w.match(/[A-Z]/g) || []).length > 1 ? w : w.toLowerCase())).join(", ");
}

// The evidence list behind a real button (aria-expanded), not a bare <details> summary.
function evidenceToggle(theme, list) {
  list.id = `theme-${theme.id}-evidence`;
  list.hidden = true;
  const chevron = h("span", { class: "chevron", "aria-hidden": "true" }, "▸");
  const button = h("button", { type: "button", class: "secondary evidence-toggle", "aria-expanded": "false",
    "aria-controls": list.id, onclick: () => {
      const open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", String(open));
      chevron.textContent = open ? "▾" : "▸";
      list.hidden = !open;
    } }, chevron, ` Evidence (${theme.size} reports)`);
  return h("div", { class: "theme-evidence-box" }, button, list);
}

function chips(label, entries) {
  if (!entries.length) return null;
  return h("p", { class: "counts" }, h("span", { class: "muted" }, `${label}: `),
    ...entries.map(([name, n]) => h("span", { class: "count" }, `${name} ${n}`)));
}

// The inline "create item" form: title and description prefilled from the theme's own words.
function createForm(theme, ctx, onDone) {
  const title = h("input", { id: `theme-${theme.id}-title`, required: true, maxlength: "200",
    value: themeTitle(theme, 200) });
  const description = h("textarea", { id: `theme-${theme.id}-description`, maxlength: "5000", rows: "3" },
    `${theme.size} reports about this (${countOf(theme)}). For example: "${theme.example.text}"`);
  const status = h("p", { class: "muted", role: "status" });
  const form = h("form", { class: "theme-create", onsubmit: async (event) => {
    event.preventDefault();
    const submit = form.querySelector("button[type=submit]");
    submit.disabled = true;
    status.textContent = "Creating…";
    try {
      const item = await ctx.api("/api/backlog/", { method: "POST", body: {
        title: title.value.trim(), description: description.value.trim(),
        observations: theme.evidence.observations, comments: theme.evidence.comments,
        ratings: theme.evidence.ratings } });
      onDone(item);
    } catch (err) {
      status.textContent = `Could not create the item: ${err.message}`;
      status.className = "error";
      submit.disabled = false;
    }
  } },
  h("div", { class: "field" }, h("label", { for: title.id }, "Backlog item title"), title),
  h("div", { class: "field" }, h("label", { for: description.id }, "Description"), description),
  h("div", { class: "row" }, h("button", { type: "submit" }, `Create item with all ${theme.size} reports`),
    h("button", { type: "button", class: "secondary", onclick: () => form.remove() }, "Cancel")),
  status);
  return form;
}

function card(theme, ctx, canTriage) {
  const title = themeTitle(theme);
  const evidenceList = h("ul", { class: "theme-evidence" },
    ...theme.evidence.observations.map((id) => h("li", {}, `Observation #${id}`)),
    ...theme.evidence.comments.map((id) => h("li", {}, `Session comment #${id}`)),
    ...theme.evidence.ratings.map((id) => h("li", {}, `Rating comment #${id}`)));
  const box = h("article", { class: "card theme", "aria-labelledby": `theme-${theme.id}-h`, "data-theme": String(theme.id) },
    h("h3", { id: `theme-${theme.id}-h` }, title),
    theme.label ? h("p", { class: "muted key-words" }, `Key words: ${keyWords(theme)}`) : null,
    h("p", { class: "summary" }, h("strong", {}, String(theme.size)), ` reports · ${countOf(theme)}`,
      theme.patient_safety ? h("strong", { class: "safety-count" }, ` · ${theme.patient_safety} patient-safety`) : null),
    title === theme.example.text.trim() ? null : h("blockquote", {}, theme.example.text),
    chips("Units", theme.by_unit.map((u) => [u.name || `unit ${u.unit}`, u.count])),
    chips("Roles", Object.entries(theme.by_role).map(([role, n]) => [humanize(role), n])),
    evidenceToggle(theme, evidenceList));
  if (canTriage) {
    const made = h("p", { role: "status" });
    const button = h("button", { type: "button", class: "secondary", onclick: () => {
      if (box.querySelector("form")) return;
      box.append(createForm(theme, ctx, (item) => {
        box.querySelector("form").remove();
        button.hidden = true;
        made.replaceChildren("Created ", h("a", { href: `/backlog/${item.id}`, "data-link": "" },
          `backlog item #${item.id}`), ` with ${theme.size} reports.`);
      }));
      box.querySelector("input")?.focus();
    } }, "Create backlog item");
    box.append(h("div", { class: "row" }, button), made);
  }
  return box;
}

async function draw(box, ctx, opts, canTriage) {
  box.replaceChildren(h("p", { class: "muted" }, "Loading…"));
  const since = new Date(Date.now() - opts.days * 86400000).toISOString();
  const params = new URLSearchParams({ since });
  if (opts.unit) params.set("unit", opts.unit);
  if (opts.tool) params.set("tool", opts.tool);
  let data;
  try {
    data = await ctx.api(`/api/themes/?${params}`);
  } catch (err) {
    box.replaceChildren(h("p", { class: "error" }, `Could not load themes: ${err.message}`));
    return;
  }
  if (!data.themes.length) {
    box.replaceChildren(h("p", { class: "muted", id: "themes-empty" }, data.computed_at
      ? "No themes in this period: no problem was reported twice in similar words."
      : "No themes yet: the background worker groups the evidence every 15 minutes."));
    return;
  }
  const when = data.computed_at ? new Date(data.computed_at).toLocaleString() : "";
  box.replaceChildren(
    h("p", { class: "muted" }, `${data.themes.length} themes, grouped by meaning · computed ${when}`),
    h("div", { class: "themes-grid" }, ...data.themes.map((t) => card(t, ctx, canTriage))));
}

async function options(api, path) {
  try {
    const page = await api(path);
    return page.results || page;
  } catch (err) {
    return [];
  }
}

// Mounts the themes section into `section` (the dashboard's hook).
export async function renderThemes(section, ctx) {
  const me = ctx.me || {};
  const canTriage = (me.permissions || []).includes("triage");
  const opts = { days: 30, unit: "", tool: "" };
  const box = h("div", { id: "themes", "aria-live": "polite" });
  const [units, tools] = await Promise.all([options(ctx.api, "/api/units/"), options(ctx.api, "/api/tools/")]);
  const select = (id, label, list, key) => h("div", { class: "field" }, h("label", { for: id }, label),
    h("select", { id, onchange: (e) => { opts[key] = e.target.value; draw(box, ctx, opts, canTriage); } },
      h("option", { value: "" }, "All"), ...list.map((x) => h("option", { value: String(x.id) }, x.name))));
  const period = h("fieldset", { class: "segmented" }, h("legend", {}, "Period"),
    ...PERIODS.map(([days, label]) => h("label", {}, h("input", { type: "radio", name: "themes-period",
      value: String(days), checked: days === opts.days,
      onchange: () => { opts.days = days; draw(box, ctx, opts, canTriage); } }), label)));
  section.replaceChildren(
    h("h2", { id: "themes-h" }, "Themes"),
    h("p", { class: "muted" }, "What people keep reporting, grouped by meaning across observations and session comments."),
    h("div", { class: "row controls" }, period, select("themes-unit", "Unit", units, "unit"),
      select("themes-tool", "Tool", tools, "tool")),
    box);
  await draw(box, ctx, opts, canTriage);
}
