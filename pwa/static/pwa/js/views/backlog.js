// Backlog: filter, sort by priority, live updates from ws/backlog/, item detail, merge, status moves.
import { dataTable, fmt, humanize, legend, stackedBar } from "../charts.js";
import { h, plural } from "../dom.js";
import { LiveSocket, wsUrl } from "../socket.js";

const STATUSES = ["new", "triaged", "planned", "in_progress", "shipped", "declined", "duplicate"];
const OPEN = ["new", "triaged", "planned", "in_progress"];
const NEXT = { new: "triaged", triaged: "planned", planned: "in_progress", in_progress: "shipped" };
const FILTERS = ["status", "workflow", "unit", "tool", "patient_safety", "q", "min_priority"];

let socket = null;
let view = null; // the mounted page: {main, ctx, ref, filters, rows: Map, detailId}
let refCache = null;

export function legalNext(status) {
  const next = NEXT[status] ? [NEXT[status]] : [];
  return OPEN.includes(status) ? [...next, "declined"] : next;
}

async function loadAll(api, path) {
  const out = [];
  let url = path;
  for (let i = 0; url && i < 20; i++) {
    const page = await api(url);
    out.push(...(page.results || page));
    url = page.next || null;
  }
  return out;
}

async function loadRef(api) {
  let failed = false;
  const [workflows, units, tools] = await Promise.all(
    ["/api/workflows/", "/api/units/", "/api/tools/"].map((p) => loadAll(api, p).catch(() => { failed = true; return []; })));
  const byId = (list) => Object.fromEntries(list.map((x) => [x.id, x.name]));
  return { workflows, units, tools, workflowName: byId(workflows), toolName: byId(tools), unitName: byId(units), failed };
}

function filtersFromUrl() {
  const params = new URLSearchParams(location.search);
  return Object.fromEntries(FILTERS.map((f) => [f, params.get(f) || ""]));
}

function queryString(filters) {
  const params = new URLSearchParams();
  FILTERS.forEach((f) => { if (filters[f]) params.set(f, filters[f]); });
  const s = params.toString();
  return s ? `?${s}` : "";
}

function options(list, selected, anyLabel) {
  return [h("option", { value: "" }, anyLabel),
    ...list.map((x) => h("option", { value: String(x.id), selected: String(x.id) === selected }, x.name))];
}

function filterBar() {
  const { filters, ref } = view;
  const chips = h("div", { class: "chips", role: "group", "aria-label": "Status" },
    ...[["", "all"], [OPEN.join(","), "open"], ...STATUSES.map((s) => [s, humanize(s)])].map(([s, label]) => h("button", {
      type: "button", class: "chip", "data-status": s, "aria-pressed": String(filters.status === s),
      onclick: () => applyFilters({ status: s }),
    }, label)));
  const field = (id, label, control) => h("div", { class: "field" }, h("label", { for: id }, label), control);
  const change = (name) => (e) => applyFilters({ [name]: e.target.type === "checkbox" ? (e.target.checked ? "true" : "") : e.target.value });
  const form = h("form", { class: "filter-bar card", id: "backlog-filters", role: "search", onsubmit: (e) => { e.preventDefault(); applyFilters({ q: form.querySelector("#f-q").value }); } },
    chips,
    h("div", { class: "filter-fields" },
      field("f-workflow", "Workflow", h("select", { id: "f-workflow", onchange: change("workflow") }, ...options(ref.workflows, filters.workflow, "Any workflow"))),
      field("f-unit", "Unit", h("select", { id: "f-unit", onchange: change("unit") }, ...options(ref.units, filters.unit, "Any unit"))),
      field("f-tool", "Tool", h("select", { id: "f-tool", onchange: change("tool") }, ...options(ref.tools, filters.tool, "Any tool"))),
      field("f-min", "Min. priority", h("input", { id: "f-min", type: "number", min: "0", step: "any", inputmode: "decimal", value: filters.min_priority, onchange: change("min_priority") })),
      field("f-q", "Search", h("input", { id: "f-q", type: "search", value: filters.q, placeholder: "title or description" })),
      h("div", { class: "field toggle" }, h("label", { for: "f-safety" },
        h("input", { id: "f-safety", type: "checkbox", checked: filters.patient_safety === "true", onchange: change("patient_safety") }), " Patient safety only"))),
    h("div", { class: "row" },
      h("button", { type: "submit" }, "Search"),
      h("a", { class: "button secondary", id: "export-csv", href: `/api/backlog/export.csv${queryString(filters)}`, download: "backlog.csv" }, "Export CSV")));
  return form;
}

function applyFilters(change) {
  Object.assign(view.filters, change);
  history.replaceState({}, "", `/backlog${queryString(view.filters)}`);
  mount(view.main, view.ctx);
}

function barFraction(priority) {
  // Log scale: one patient-safety item (thousands) must not flatten every other bar to nothing.
  return view.maxPriority > 0 ? Math.log1p(Math.max(0, priority)) / Math.log1p(view.maxPriority) : 0;
}

// "3 observations · 1 comment": the kinds of evidence an item has (zeros left out).
function evidenceSummary(counts) {
  const kinds = [["observations", "observation"], ["ratings", "rating"], ["comments", "comment"],
    ["output_feedback", "AI-output flag"]];
  const parts = kinds.filter(([key]) => counts[key]).map(([key, word]) => plural(counts[key], word));
  return parts.length ? parts.join(" · ") : "no evidence linked";
}

function rowContent(item) {
  const { ref } = view;
  const counts = item.evidence_counts || {};
  const meta = [item.workflow && ref.workflowName[item.workflow], item.tool && ref.toolName[item.tool]].filter(Boolean).join(" · ");
  return [
    h("div", { class: "item-head" },
      h("a", { href: `/backlog/${item.id}${location.search}`, "data-link": true, class: "item-title" }, item.title),
      h("span", { class: `item-status item-status-${item.status}` }, humanize(item.status)),
      h("span", { class: "priority", "aria-label": `priority ${fmt(item.priority)}` }, fmt(item.priority))),
    h("div", { class: "bar-wrap" }, stackedBar(item.priority_breakdown, { fraction: barFraction(item.priority) })),
    h("p", { class: "muted item-meta" }, [meta, evidenceSummary(counts)].filter(Boolean).join(" · ")),
  ];
}

function renderRow(item, flash = false) {
  let li = view.rows.get(item.id);
  if (!li) {
    li = h("li", { class: "item", "data-id": String(item.id) });
    view.rows.set(item.id, li);
  }
  li.dataset.priority = String(item.priority);
  li.dataset.status = item.status;
  li.classList.toggle("selected", view.detailId === item.id);
  li.replaceChildren(...rowContent(item));
  if (flash) {
    li.classList.remove("flash");
    void li.offsetWidth; // restart the animation
    li.classList.add("flash");
  }
  return li;
}

function placeRow(li) {
  const list = view.main.querySelector("#backlog-list");
  const p = Number(li.dataset.priority);
  const id = Number(li.dataset.id);
  const after = [...list.children].find((other) => other !== li
    && (Number(other.dataset.priority) < p || (Number(other.dataset.priority) === p && Number(other.dataset.id) < id)));
  list.insertBefore(li, after || null);
}

function matches(item) {
  const f = view.filters;
  if (f.status && !f.status.split(",").includes(item.status)) return false;
  if (f.workflow && String(item.workflow) !== f.workflow) return false;
  if (f.tool && String(item.tool) !== f.tool) return false;
  if (f.min_priority && item.priority < Number(f.min_priority)) return false;
  if (f.q && !`${item.title} ${item.description || ""}`.toLowerCase().includes(f.q.toLowerCase())) return false;
  return true;
}

function onLiveItem(item) {
  if (!view || !item || !view.main.querySelector("#backlog-list")) return;
  const known = view.rows.has(item.id);
  if (!matches(item)) {
    if (known) { view.rows.get(item.id).remove(); view.rows.delete(item.id); }
  } else if (known || !view.filters.unit) {
    view.maxPriority = Math.max(view.maxPriority, item.priority);
    placeRow(renderRow(item, true));
    view.main.querySelector("#backlog-empty")?.remove();
    view.main.querySelector("#live-status").textContent = `${item.title}: ${humanize(item.status)}, priority ${fmt(item.priority)}`;
  }
  if (view.detailId === item.id) return openDetail(item.id);
  return undefined;
}

function liveItem(item) {
  if (view && view.main.querySelector("#backlog-list")) onLiveItem(item);
}

// ws/backlog/ through the app's one reconnecting socket (back-off, heartbeat). The server's
// `hello` means this socket has joined the backlog group; after a reconnect the list is read
// again, so changes made while the socket was down are not missed.
function connect() {
  if (socket && !socket.stopped) return;
  socket = new LiveSocket(wsUrl("/ws/backlog/"), {
    onReady: (frame, n) => {
      document.body.dataset.backlogLive = "1";
      if (n > 1) reloadList();
    },
    onFrame: (msg) => { if (msg.type === "item") liveItem(msg.item); },
    onStatus: ({ state }) => { if (state !== "live") delete document.body.dataset.backlogLive; },
  }).open();
}

async function reloadList() {
  const list = view && view.main.querySelector("#backlog-list");
  if (!list) return;
  list.replaceChildren();
  view.rows.clear();
  view.main.querySelector("#backlog-empty")?.remove();
  await loadPage(`/api/backlog/${queryString(view.filters)}`).catch(() => {});
}

async function loadPage(url) {
  const page = await view.ctx.api(url);
  const list = view.main.querySelector("#backlog-list");
  page.results.forEach((item) => {
    view.maxPriority = Math.max(view.maxPriority, item.priority);
    list.append(renderRow(item));
  });
  if (!list.children.length) list.after(h("p", { id: "backlog-empty", class: "muted" }, "No items match these filters."));
  const more = view.main.querySelector("#load-more");
  // `next` is an absolute URL built from the request's host: follow it as a path on this origin.
  const next = page.next && new URL(page.next, location.origin);
  more.hidden = !next;
  more.onclick = () => { more.hidden = true; loadPage(next.pathname + next.search); };
}

function detailIdFromPath() {
  const m = location.pathname.match(/^\/backlog\/(\d+)/);
  return m ? Number(m[1]) : null;
}

async function mount(main, ctx) {
  const ref = refCache || await loadRef(ctx.api);
  refCache = ref.failed ? null : ref; // a list that failed to load is asked for again next time
  view = { main, ctx, ref, filters: filtersFromUrl(), rows: new Map(), maxPriority: 0, detailId: detailIdFromPath() };
  main.replaceChildren(
    h("h1", {}, "Backlog"),
    filterBar(),
    h("div", { class: "backlog-layout" },
      h("section", { class: "backlog-list-wrap", "aria-labelledby": "list-h" },
        h("h2", { id: "list-h", class: "sr-only" }, "Items by priority"),
        h("p", { class: "muted priority-scale", id: "priority-scale" },
          "Priority is a score computed from the evidence, highest first: patient-safety evidence counts most; ",
          "more people, units and roles, higher severity, minutes lost and low ratings raise it; a bigger effort lowers it. ",
          "It has no upper limit: compare items with each other. The bar shows what each part adds:"),
        legend(["safety", "severity", "reach_people", "reach_units", "reach_roles", "time_lost", "ratings", "comments"]),
        h("ol", { id: "backlog-list", class: "backlog-list" }),
        h("button", { type: "button", id: "load-more", class: "secondary", hidden: true }, "Load more")),
      h("section", { id: "item-detail", class: "item-detail card", "aria-live": "polite", hidden: true })),
    h("p", { id: "live-status", class: "sr-only", role: "status", "aria-live": "polite" }));
  main.querySelector(".backlog-layout").addEventListener("click", onLocalLink);
  try {
    await loadPage(`/api/backlog/${queryString(view.filters)}`);
  } catch (err) {
    main.querySelector("#backlog-list").replaceWith(h("p", { class: "error" }, `Could not load the backlog: ${err.message}`));
    return;
  }
  connect();
  if (view.detailId) { await openDetail(view.detailId); revealDetail(); }
}

// An item opened by its link (a notification, "Open item") sits below the filters: bring the
// panel up under the bar, where it stays (sticky) while the list scrolls beside it.
function revealDetail() {
  const panel = view && view.main.querySelector("#item-detail");
  if (!panel || panel.hidden) return;
  const bar = document.querySelector(".topbar");
  const top = panel.getBoundingClientRect().top - (bar ? bar.getBoundingClientRect().height : 0) - 16;
  if (top > 0) window.scrollBy({ top, behavior: "instant" });
}

export async function render(main, ctx) {
  await mount(main, ctx);
}

/** Leaving the board: its socket closes (and does not come back) and late answers are dropped. */
export function unmount() {
  view = null;
  if (socket) { const s = socket; socket = null; s.close("Left the backlog."); }
  delete document.body.dataset.backlogLive;
}

// Opening or closing an item keeps the list (scroll position, live rows) and swaps only the panel.
function onLocalLink(event) {
  const link = event.target.closest("a[data-link]");
  if (!link || !link.pathname.startsWith("/backlog") || event.ctrlKey || event.metaKey) return;
  event.preventDefault();
  event.stopPropagation();
  history.pushState({}, "", link.pathname + link.search);
  view.detailId = detailIdFromPath();
  view.rows.forEach((li, id) => li.classList.toggle("selected", id === view.detailId));
  if (view.detailId) openDetail(view.detailId).then(() => { revealDetail(); view.main.querySelector("#detail-title")?.focus({ preventScroll: true }); });
  else closeDetail();
}

function closeDetail() {
  const panel = view.main.querySelector("#item-detail");
  panel.hidden = true;
  panel.replaceChildren();
}

// ---- Item detail --------------------------------------------------------------------------------

async function openDetail(id) {
  const panel = view.main.querySelector("#item-detail");
  let item;
  try {
    item = await view.ctx.api(`/api/backlog/${id}/`);
  } catch (err) {
    panel.hidden = false;
    panel.replaceChildren(h("p", { class: "error" }, err.status === 404 ? "This item does not exist or is not visible to you." : err.message));
    return;
  }
  if (!view || view.detailId !== id) return; // the user moved on while this loaded
  panel.hidden = false;
  panel.dataset.id = String(id);
  panel.replaceChildren(...[
    h("div", { class: "row detail-head" },
      h("h2", { id: "detail-title", tabindex: "-1" }, item.title),
      h("a", { href: `/backlog${location.search}`, "data-link": true, class: "button secondary", "aria-label": "Close item" }, "Close")),
    h("p", {}, h("span", { class: `item-status item-status-${item.status}`, id: "detail-status" }, humanize(item.status)),
      ` priority `, h("strong", { id: "detail-priority" }, fmt(item.priority)),
      h("span", { class: "muted", id: "detail-knobs" }, ` · effort ${item.effort} of 5 · confidence ${Math.round(item.confidence * 100)}%`),
      itemPlace(item)),
    item.description ? h("p", { class: "description" }, item.description) : null,
    statusSection(item), // what the owner does first, then why the item ranks where it does
    editSection(item),
    breakdownSection(item),
    evidenceSection(item),
    h("section", { id: "duplicates", "aria-labelledby": "dup-h" }, h("h3", { id: "dup-h" }, "Possible duplicates"), h("p", { class: "muted" }, "Looking…")),
    h("div", { class: "row" }, h("button", { type: "button", class: "secondary", id: "follow", onclick: () => follow(item) }, "Follow"),
      OPEN.includes(item.status)
        ? h("a", { class: "button secondary", id: "attach-evidence", href: `/evidence?item=${item.id}`, "data-link": true }, "Attach more evidence")
        : null),
  ].filter(Boolean)); // replaceChildren would write a null as the text "null"
  loadDuplicates(item);
}

function itemPlace(item) {
  const { ref } = view;
  const where = [ref.workflowName[item.workflow], ref.toolName[item.tool]].filter(Boolean).join(" · ");
  return where ? h("span", { class: "muted", id: "detail-place" }, ` · ${where}`) : null;
}

// Effort and confidence scale the priority (docs/priority.md); title, description, workflow and AI
// tool say what the item is. Collapsed, so the status and evidence stay near the top of the panel.
const EFFORTS = [[1, "1 · hours"], [2, "2 · days"], [3, "3 · weeks"], [4, "4 · a month"], [5, "5 · months"]];

function editSection(item) {
  const { ref } = view;
  const field = (id, label, input, hint) => h("div", { class: "field" },
    h("label", { for: id }, label), input, hint ? h("p", { class: "muted hint", id: `${id}-hint` }, hint) : null);
  const title = h("input", { id: "ed-title", maxlength: "200", required: true, value: item.title });
  const description = h("textarea", { id: "ed-description", maxlength: "5000", rows: "4" });
  description.value = item.description || "";
  const workflow = h("select", { id: "ed-workflow" }, h("option", { value: "" }, "No workflow"),
    ...ref.workflows.map((w) => h("option", { value: String(w.id), selected: w.id === item.workflow }, w.name)));
  const tool = h("select", { id: "ed-tool" }, h("option", { value: "" }, "No AI tool"),
    ...ref.tools.map((t) => h("option", { value: String(t.id), selected: t.id === item.tool }, t.name)));
  const effort = h("select", { id: "ed-effort" },
    ...EFFORTS.map(([n, label]) => h("option", { value: String(n), selected: n === item.effort }, label)));
  const confidence = h("input", { id: "ed-confidence", type: "number", min: "0", max: "100", step: "5",
    inputmode: "numeric", value: String(Math.round(item.confidence * 100)), "aria-describedby": "ed-confidence-hint" });
  const error = h("p", { class: "error", role: "alert", id: "ed-error" });
  const form = h("form", { id: "edit-form", novalidate: true },
    field("ed-title", "Title", title),
    field("ed-description", "Description", description),
    h("div", { class: "row" }, field("ed-workflow", "Workflow", workflow), field("ed-tool", "AI tool", tool)),
    h("div", { class: "row" },
      field("ed-effort", "Effort", effort, "A bigger effort lowers the priority."),
      field("ed-confidence", "Confidence (%)", confidence, "How sure you are that the change fixes what the evidence shows.")),
    error,
    h("button", { type: "submit", id: "ed-save" }, "Save changes"));
  form.addEventListener("submit", (event) => { event.preventDefault(); saveEdits(item, form); });
  return h("details", { id: "edit-details", class: "edit-details" },
    h("summary", {}, "Edit title, description, workflow, AI tool, effort and confidence"), form);
}

async function saveEdits(item, form) {
  const $ = (sel) => form.querySelector(sel);
  const error = $("#ed-error");
  const title = $("#ed-title").value.trim();
  const pct = Number($("#ed-confidence").value);
  if (!title) { error.textContent = "Give the item a title."; $("#ed-title").focus(); return; }
  if ($("#ed-confidence").value.trim() === "" || !Number.isFinite(pct) || pct < 0 || pct > 100) {
    error.textContent = "Confidence is a number from 0 to 100."; $("#ed-confidence").focus(); return;
  }
  const id = (sel) => ($(sel).value ? Number($(sel).value) : null);
  const wanted = { title, description: $("#ed-description").value.trim(), workflow: id("#ed-workflow"), tool: id("#ed-tool"),
    effort: Number($("#ed-effort").value), confidence: Math.round(pct) / 100 };
  const body = Object.fromEntries(Object.entries(wanted).filter(([k, v]) => v !== (item[k] ?? (k === "description" ? "" : null))));
  if (!Object.keys(body).length) { error.textContent = "Nothing changed."; return; }
  error.textContent = "";
  const save = $("#ed-save");
  save.disabled = true;
  try {
    const updated = await view.ctx.api(`/api/backlog/${item.id}/`, { method: "PATCH", body });
    view.ctx.toast(`${updated.title}: saved, priority ${fmt(updated.priority)}`);
    await onLiveItem(updated);
    view?.main.querySelector("#item-detail")?.scrollTo({ top: 0 }); // the new priority is at the top
  } catch (err) {
    const fields = Object.entries(err.errors || {}).map(([k, v]) => `${humanize(k)}: ${[].concat(v).join(" ")}`).join("; ");
    error.textContent = fields || err.message;
    save.disabled = false;
  }
}

function breakdownSection(item) {
  const entries = Object.entries(item.priority_breakdown || {});
  return h("section", { "aria-labelledby": "pb-h" },
    h("h3", { id: "pb-h" }, "Priority breakdown"),
    h("div", { class: "bar-wrap big" }, stackedBar(item.priority_breakdown)),
    legend(entries.filter(([, v]) => v > 0).map(([k]) => k)),
    dataTable("Priority components", ["component", "value"], entries.map(([k, v]) => [humanize(k), fmt(v)])));
}

function statusSection(item) {
  const next = legalNext(item.status);
  return h("section", { "aria-labelledby": "st-h" },
    h("h3", { id: "st-h" }, "Move status"),
    next.length
      ? h("div", { class: "row status-buttons" }, ...next.map((s) => h("button", {
        type: "button", class: s === "declined" ? "danger" : "", "data-next": s, onclick: (e) => moveStatus(item, s, e.target),
      }, `Move to ${humanize(s)}`)))
      : h("p", { class: "muted" }, `No moves from ${humanize(item.status)}.`));
}

// Shipping or declining tells everyone whose evidence is linked, with a one-line note: ask for it,
// and make declining (hard to undo) a deliberate second step.
function askResolution(item, status) {
  return new Promise((resolve) => {
    const note = h("input", { id: "resolution-note", maxlength: "280", required: true,
      placeholder: status === "shipped" ? "What was done, e.g. Banner moved below the vitals" : "Why not, e.g. Out of scope for this tool" });
    const error = h("p", { class: "error", role: "alert" });
    const yes = h("button", { type: "submit", id: "resolution-yes", class: status === "declined" ? "danger" : "" },
      status === "shipped" ? "Mark as shipped" : "Decline the item");
    const dlg = h("dialog", { class: "confirm", id: "resolution-dialog", "aria-labelledby": "resolution-h" },
      h("form", { method: "dialog", novalidate: true },
        h("h2", { id: "resolution-h" }, status === "shipped" ? `Ship “${item.title}”?` : `Decline “${item.title}”?`),
        h("p", {}, "Everyone whose feedback is linked gets this note. It shows on the unit's “You said, we did” page."),
        h("label", { for: "resolution-note" }, status === "shipped" ? "What was done (one line)" : "Why not (one line)"), note, error,
        h("div", { class: "row" }, h("button", { type: "submit", value: "no", class: "secondary", id: "resolution-no" }, "Cancel"), yes)));
    yes.addEventListener("click", (e) => {
      if (!note.value.trim()) { e.preventDefault(); error.textContent = "Write one line first."; note.focus(); return; }
      yes.value = note.value.trim();
    });
    dlg.addEventListener("close", () => { dlg.remove(); resolve(dlg.returnValue && dlg.returnValue !== "no" ? dlg.returnValue : null); });
    document.body.append(dlg);
    dlg.showModal();
    note.focus();
  });
}

async function moveStatus(item, status, button) {
  const body = { status };
  if (status === "shipped" || status === "declined") {
    const note = await askResolution(item, status);
    if (!note) return;
    body.resolution_note = note;
  }
  button.disabled = true;
  try {
    const updated = await view.ctx.api(`/api/backlog/${item.id}/`, { method: "PATCH", body });
    view.ctx.toast(`${updated.title}: moved to ${humanize(updated.status)}`);
    onLiveItem(updated);
  } catch (err) {
    view.ctx.toast(err.code === "invalid_transition" ? `Cannot move to ${humanize(status)}: ${err.message}` : err.message);
    button.disabled = false;
  }
}

async function follow(item) {
  try {
    await view.ctx.api(`/api/backlog/${item.id}/follow/`, { method: "POST" });
    view.ctx.toast("You will be notified when this item changes.");
  } catch (err) {
    view.ctx.toast(err.message);
  }
}

// A rated or commented screen by its title (its number only if the title is missing).
function screenName(ev) {
  return ev.screen_title ? `Screen “${ev.screen_title}”` : `Screen #${ev.screen}`;
}

function evidenceSection(item) {
  const ev = item.evidence || {};
  const obs = ev.observations || [];
  const ratings = ev.ratings || [];
  const comments = ev.comments || [];
  const flags = ev.output_feedback || [];
  return h("section", { "aria-labelledby": "ev-h", class: "evidence" },
    h("h3", { id: "ev-h" }, "Evidence"),
    h("h4", {}, `Observations (${obs.length})`),
    h("ul", { class: "evidence-list", id: "ev-observations" }, ...obs.map(observationLi)),
    h("h4", {}, `Ratings (${ratings.length})`),
    h("ul", { class: "evidence-list", id: "ev-ratings" }, ...ratings.map((r) => h("li", {},
      h("span", { class: "muted" }, `${screenName(r)}: `),
      Object.entries(r.scores || {}).map(([k, v]) => `${humanize(k)} ${v}`).join(", "),
      r.comment ? h("q", {}, r.comment) : null))),
    h("h4", {}, `Comments (${comments.length})`),
    h("ul", { class: "evidence-list", id: "ev-comments" }, ...comments.map((c) => h("li", {},
      h("span", { class: "muted" }, `${screenName(c)}${c.pin ? " (pinned)" : ""}: `), c.text))),
    h("h4", {}, `AI-output flags (${flags.length})`),
    h("ul", { class: "evidence-list", id: "ev-output-feedback" }, ...flags.map((f) => h("li", {},
      h("span", { class: "muted" }, `${f.output_ref} · model ${f.model_version}: `),
      [humanize(f.verdict), ...f.categories.map(humanize),
        f.harm ? `${humanize(f.harm)} harm ${f.harm_reached ? "(reached the patient)" : "(possible)"}` : ""].filter(Boolean).join(", "),
      f.comment ? h("q", {}, f.comment) : null))));
}

function observationLi(o) {
  const { ref } = view;
  const where = [ref.unitName[o.unit], ref.workflowName[o.workflow]].filter(Boolean).join(" · ");
  return h("li", { class: o.patient_safety ? "safety" : "" },
    h("p", {}, o.patient_safety ? h("strong", { class: "safety-flag" }, "Patient safety ") : null,
      h("span", { class: "muted" }, `Severity ${o.severity}${where ? ` · ${where}` : ""}: `), o.description),
    (o.photos || []).length
      ? h("div", { class: "thumbs" }, ...o.photos.map((src, i) => h("a", { href: (o.photo_images || [])[i] || src, target: "_blank", rel: "noopener" },
        h("img", { src, alt: `Photo ${i + 1} of observation ${o.id} (redacted)`, loading: "lazy", width: "96", height: "96" }))))
      : null);
}

async function loadDuplicates(item) {
  const section = view.main.querySelector("#duplicates");
  let results = [];
  try {
    const text = `${item.title} ${item.description || ""}`.slice(0, 500);
    const body = await view.ctx.api(`/api/backlog/similar/?text=${encodeURIComponent(text)}`);
    results = (body.results || body).filter((r) => r.id !== item.id && r.status !== "duplicate");
  } catch (err) {
    section.replaceChildren(h("h3", { id: "dup-h" }, "Possible duplicates"), h("p", { class: "error" }, err.message));
    return;
  }
  if (!view || !section.isConnected) return;
  const canMerge = OPEN.includes(item.status);
  section.replaceChildren(h("h3", { id: "dup-h" }, "Possible duplicates"),
    results.length
      ? h("ul", { class: "dup-list" }, ...results.slice(0, 5).map((r) => h("li", { "data-id": String(r.id) },
        h("a", { href: `/backlog/${r.id}${location.search}`, "data-link": true }, r.title),
        h("span", { class: "muted" }, ` ${Math.round((r.similarity ?? r.score ?? 0) * 100)}% similar `),
        canMerge ? h("button", { type: "button", class: "secondary merge", onclick: () => confirmMerge(r, item) }, "Merge into this item") : null)))
      : h("p", { class: "muted" }, "No likely duplicates."));
}

function confirmMerge(source, into) {
  const dialog = h("dialog", { class: "merge-dialog", "aria-labelledby": "merge-h" },
    h("h2", { id: "merge-h" }, "Merge duplicate?"),
    h("p", {}, "“", source.title, "” becomes a duplicate of “", into.title,
      "”. Its evidence and followers move here and the priority is recomputed."),
    h("form", { method: "dialog", class: "row" },
      h("button", { value: "cancel", class: "secondary" }, "Cancel"),
      h("button", { value: "merge", id: "confirm-merge" }, "Merge")));
  dialog.addEventListener("close", async () => {
    dialog.remove();
    if (dialog.returnValue !== "merge") return;
    try {
      await view.ctx.api(`/api/backlog/${source.id}/merge/`, { method: "POST", body: { into: into.id } });
      view.ctx.toast(`Merged “${source.title}” into “${into.title}”.`);
      await openDetail(into.id);
    } catch (err) {
      view.ctx.toast(`Merge failed: ${err.message}`);
    }
  });
  document.body.append(dialog);
  dialog.showModal();
}
