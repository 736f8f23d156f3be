// Evidence → backlog: pick observations (filtered) and a session's comments and ratings, then make a
// new backlog item from them (the server's similar items are shown first, so a duplicate is not
// made by accident) or add them to an existing item. Opened from an item (?item=<id>) it attaches
// the picked evidence to that item.
import { fill, h, mountable, plural, View } from "../dom.js";

const SEVERITY = { 1: "Minor annoyance", 2: "Slows work", 3: "Blocks work", 4: "Patient-safety risk" };
const OPEN = "new,triaged,planned,in_progress";

async function loadAll(api, path, max = 10) {
  const out = [];
  let url = path;
  for (let i = 0; url && i < max; i += 1) {
    const page = await api(url);
    out.push(...(page.results || page));
    url = page.next || null;
  }
  return out;
}

const nameMap = (list) => Object.fromEntries(list.map((x) => [x.id, x.name]));

class Evidence extends View {
  async mount() {
    const params = new URLSearchParams(location.search);
    this.target = params.get("item") ? Number(params.get("item")) : null;
    this.sessionId = params.get("session") ? Number(params.get("session")) : null;
    // From a session's results ("Turn comments into backlog items"): its comments come first, not
    // below every observation.
    this.fromSession = Boolean(this.sessionId);
    this.picked = new Map(); // "observations:12" -> {kind, id, text}
    this.filters = { unit: "", workflow: "", tool: "", severity_min: "", patient_safety: "", q: "" };
    if (this.ctx.state.net !== "online") {
      this.main.append(h("h1", {}, "Evidence"), h("p", { class: "offline-note" },
        "Offline: evidence loads when the server answers again. Capture still works offline."));
      return;
    }
    const api = this.ctx.api;
    const [units, workflows, tools, sessions, target] = await Promise.all([
      loadAll(api, "/api/units/?page_size=200"), loadAll(api, "/api/workflows/?page_size=200"),
      loadAll(api, "/api/tools/?page_size=200"), loadAll(api, "/api/sessions/?page_size=50", 1),
      this.target ? api(`/api/backlog/${this.target}/`).catch(() => null) : null,
    ]);
    if (!this.alive) return;
    Object.assign(this, { units, workflows, tools, sessions, targetItem: target });
    this.unitName = nameMap(units);
    this.workflowName = nameMap(workflows);
    this.toolName = nameMap(tools);
    this.draw();
    await Promise.all([this.loadObservations(), this.loadSession()]);
  }

  draw() {
    const t = this.targetItem;
    const field = (id, text, control) => h("div", { class: "field" }, h("label", { for: id }, text), control);
    const opt = (list, any) => [h("option", { value: "" }, any), ...list.map((x) => h("option", { value: x.id }, x.name))];
    const filters = h("form", { class: "card filter-bar", id: "ev-filters", role: "search" },
      h("div", { class: "filter-fields" },
        field("ev-unit", "Unit", h("select", { id: "ev-unit", name: "unit" }, opt(this.units, "Any unit"))),
        field("ev-workflow", "Workflow", h("select", { id: "ev-workflow", name: "workflow" }, opt(this.workflows, "Any workflow"))),
        field("ev-tool", "AI tool", h("select", { id: "ev-tool", name: "tool" }, opt(this.tools, "Any AI tool"))),
        field("ev-sev", "Severity at least", h("select", { id: "ev-sev", name: "severity_min" },
          h("option", { value: "" }, "Any"), [1, 2, 3, 4].map((n) => h("option", { value: n }, `${n} · ${SEVERITY[n]}`)))),
        field("ev-q", "Words in the description", h("input", { id: "ev-q", name: "q", type: "search" })),
        h("div", { class: "field toggle" }, h("label", { for: "ev-safety" },
          h("input", { id: "ev-safety", name: "patient_safety", type: "checkbox" }), " Patient safety only"))),
      h("button", { type: "submit" }, "Show"));
    this.on(filters, "submit", (e) => { e.preventDefault(); this.readFilters(filters); this.loadObservations(); });
    this.on(filters, "change", () => { this.readFilters(filters); this.loadObservations(); });
    const sessionPick = h("select", { id: "ev-session" }, h("option", { value: "" }, "Choose a session"),
      this.sessions.map((s) => h("option", { value: s.id, selected: s.id === this.sessionId },
        `${s.title} (${s.state === "open" ? "open" : "ended"}, ${new Date(s.created_at).toLocaleDateString()})`)));
    this.on(sessionPick, "change", () => { this.sessionId = Number(sessionPick.value) || null; this.loadSession(); });
    const observationPart = h("section", { "aria-labelledby": "ev-obs-h" }, h("h2", { id: "ev-obs-h" }, "Observations"), filters,
      h("p", { id: "ev-obs-count", class: "muted", role: "status" }), h("ul", { id: "ev-obs", class: "ev-list" }));
    const sessionPart = h("section", { "aria-labelledby": "ev-ses-h", id: "ev-ses" },
      h("h2", { id: "ev-ses-h" }, "Session comments and ratings"),
      field("ev-session", "Session", sessionPick), h("ul", { id: "ev-notes", class: "ev-list" }));
    fill(this.main,
      h("h1", {}, t ? `Attach evidence to “${t.title}”` : "Evidence"),
      h("p", { class: "muted" }, t
        ? "Tick what supports this item, then attach it."
        : "Tick observations, comments and ratings, then make a backlog item from them or add them to one."),
      this.fromSession ? [sessionPart, observationPart] : [observationPart, sessionPart],
      this.tray(),
      h("section", { id: "ev-action", class: "card", hidden: true, "aria-live": "polite" }));
  }

  readFilters(form) {
    const data = new FormData(form);
    for (const k of Object.keys(this.filters)) this.filters[k] = data.get(k) ? String(data.get(k)) : "";
    if (this.filters.patient_safety) this.filters.patient_safety = "true";
  }

  tray() {
    const t = this.targetItem;
    return h("div", { class: "ev-tray", id: "ev-tray", role: "region", "aria-label": "Selected evidence" },
      h("span", { id: "ev-picked", "aria-live": "polite" }, "Nothing selected"),
      t ? h("button", { type: "button", id: "ev-attach", disabled: true, onclick: () => this.attach(t) }, `Attach to “${t.title}”`)
        : [h("button", { type: "button", id: "ev-new", disabled: true, onclick: () => this.newItemForm() }, "New item from these"),
          h("button", { type: "button", id: "ev-add", class: "secondary", disabled: true, onclick: () => this.pickItemForm() }, "Add to an item")]);
  }

  async loadObservations() {
    const list = this.$("#ev-obs");
    const params = new URLSearchParams({ page_size: "50" });
    for (const [k, v] of Object.entries(this.filters)) if (v) params.set(k, v);
    try {
      const page = await this.ctx.api(`/api/observations/?${params}`, { signal: this.signal });
      if (!this.alive) return;
      this.$("#ev-obs-count").textContent = page.results.length
        ? `Showing ${plural(page.results.length, "observation")}${page.next ? " (the newest 50: narrow the filters for more)" : ""}.`
        : "No observations match these filters.";
      fill(list, page.results.map((o) => this.row("observations", o.id, o.description,
        [`Severity ${o.severity}`, this.unitName[o.unit], this.workflowName[o.workflow], this.toolName[o.tool],
          new Date(o.captured_at).toLocaleDateString(), o.patient_safety ? "patient safety" : ""].filter(Boolean).join(" · "),
        { workflow: o.workflow ?? null, tool: o.tool ?? null })));
    } catch (err) {
      if (this.alive) fill(list, h("li", { class: "error" }, err.message));
    }
  }

  async loadSession() {
    const list = this.$("#ev-notes");
    if (!this.sessionId) { fill(list, h("li", { class: "muted" }, "Choose a session to see its comments and ratings.")); return; }
    try {
      const summary = await this.ctx.api(`/api/sessions/${this.sessionId}/summary/`, { signal: this.signal });
      if (!this.alive) return;
      const session = this.sessions.find((x) => x.id === this.sessionId);
      const about = { tool: session && session.tool ? session.tool : null }; // a session rates one tool
      const rows = summary.screens.flatMap((s) => s.comments.map((c) => this.row(
        c.source === "rating" ? "ratings" : "comments", c.id, c.text,
        `${c.source === "rating" ? "Rating comment" : "Comment"} on “${s.title}”${c.pin ? " · pinned" : c.region ? " · about a named part" : ""}`,
        about)));
      fill(list, rows.length ? rows : h("li", { class: "muted" }, "This session has no comments yet."));
    } catch (err) {
      if (this.alive) fill(list, h("li", { class: "error" }, err.message));
    }
  }

  row(kind, id, text, meta, about = {}) {
    const key = `${kind}:${id}`;
    const box = h("input", { type: "checkbox", id: `pick-${kind}-${id}`, checked: this.picked.has(key),
      dataset: { kind, id: String(id) } });
    this.on(box, "change", () => {
      if (box.checked) this.picked.set(key, { kind, id, text, ...about }); else this.picked.delete(key);
      this.updateTray();
    });
    return h("li", { class: "ev-row" }, box,
      h("label", { for: `pick-${kind}-${id}` }, h("span", { class: "ev-text" }, text), h("span", { class: "muted ev-meta" }, meta)));
  }

  updateTray() {
    const n = this.picked.size;
    const counts = { observations: 0, comments: 0, ratings: 0 };
    for (const p of this.picked.values()) counts[p.kind] += 1;
    this.$("#ev-picked").textContent = n
      ? `Selected: ${[plural(counts.observations, "observation"), plural(counts.comments, "comment"), plural(counts.ratings, "rating")]
        .filter((s) => !s.startsWith("0 ")).join(", ")}`
      : "Nothing selected";
    for (const id of ["#ev-new", "#ev-add", "#ev-attach"]) { const b = this.$(id); if (b) b.disabled = !n; }
  }

  body() {
    const out = { observations: [], comments: [], ratings: [] };
    for (const p of this.picked.values()) out[p.kind].push(p.id);
    return out;
  }

  panel(...children) {
    const box = this.$("#ev-action");
    fill(box, children);
    box.hidden = false;
    box.scrollIntoView({ block: "nearest" });
    return box;
  }

  // The workflow or AI tool the new item is about, when the evidence says: the one every picked
  // piece that names one shares, else the list's filter. Two different ones: none is guessed.
  shared(key) {
    const named = new Set([...this.picked.values()].map((p) => p[key]).filter((v) => v !== undefined && v !== null));
    if (named.size === 1) return [...named][0];
    if (named.size > 1) return null;
    return this.filters[key] ? Number(this.filters[key]) : null;
  }

  newItemForm() {
    const texts = [...this.picked.values()].map((p) => p.text).filter(Boolean);
    const title = h("input", { id: "ni-title", maxlength: "200", required: true, value: (texts[0] || "").slice(0, 120) });
    const description = h("textarea", { id: "ni-description", maxlength: "5000" }, texts.map((t) => `• ${t}`).join("\n"));
    const workflowId = this.shared("workflow"), toolId = this.shared("tool");
    const workflow = h("select", { id: "ni-workflow" }, h("option", { value: "" }, "No workflow"),
      this.workflows.map((w) => h("option", { value: w.id, selected: w.id === workflowId }, w.name)));
    const tool = h("select", { id: "ni-tool" }, h("option", { value: "" }, "No AI tool"),
      this.tools.map((x) => h("option", { value: x.id, selected: x.id === toolId }, x.name)));
    const error = h("p", { class: "error", role: "alert", id: "ni-error" });
    const similar = h("div", { id: "ni-similar" });
    const form = h("form", { id: "new-item-form", novalidate: true },
      h("h2", {}, "New backlog item"),
      h("label", { for: "ni-title" }, "Title"), title,
      h("label", { for: "ni-description" }, "Description"), description,
      h("div", { class: "grid-2" },
        h("div", {}, h("label", { for: "ni-workflow" }, "Workflow"), workflow),
        h("div", {}, h("label", { for: "ni-tool" }, "AI tool"), tool)),
      h("p", { class: "hint" }, "Similar items already in the backlog are offered first, so evidence is not split across duplicates."),
      similar, error,
      h("div", { class: "row" }, h("button", { type: "submit", id: "ni-create" }, "Create item"),
        h("button", { type: "button", class: "secondary", onclick: () => { this.$("#ev-action").hidden = true; } }, "Cancel")));
    let checked = false;
    this.on(form, "submit", async (e) => {
      e.preventDefault();
      error.textContent = "";
      if (!title.value.trim()) { error.textContent = "Give the item a title."; title.focus(); return; }
      if (!checked) {
        checked = true;
        // The title is what an item is known by; the server decides what is similar enough to offer.
        const offered = await this.similarItems(title.value.trim());
        if (!this.alive) return;
        if (offered.length) {
          fill(similar, h("h3", {}, "These items look similar"),
            h("p", { class: "muted" }, "Add the evidence to one of them instead of making a duplicate, or create the new item anyway."),
            h("ul", { class: "dup-list" }, offered.slice(0, 5).map((r) => h("li", { dataset: { id: String(r.id) } },
              h("strong", {}, r.title), ` ${Math.round(r.similarity * 100)}% similar · ${r.status.replace(/_/g, " ")} `,
              h("button", { type: "button", class: "secondary add-to-similar", onclick: () => this.addTo(r) }, "Add to this item")))));
          this.$("#ni-create").textContent = "Create the new item anyway";
          similar.scrollIntoView({ block: "nearest" }); // below the button on a tablet: show it
          return;
        }
      }
      await this.create({ title: title.value.trim(), description: description.value.trim(),
        workflow: Number(workflow.value) || null, tool: Number(tool.value) || null });
    });
    this.panel(form);
    title.focus();
  }

  /** What the server offers as likely duplicates (its offer rule and cut-off, not ours). */
  async similarItems(text) {
    try {
      const body = await this.ctx.api(`/api/backlog/similar/?text=${encodeURIComponent(text)}`, { signal: this.signal });
      return (body.results || []).filter((r) => r.kind === undefined || r.kind === "backlog")
        .filter((r) => r.status !== "duplicate");
    } catch (err) {
      return [];
    }
  }

  async create(fields) {
    const body = { ...fields, ...this.body() };
    if (!body.workflow) delete body.workflow;
    if (!body.tool) delete body.tool;
    try {
      const item = await this.ctx.api("/api/backlog/", { method: "POST", body });
      this.done(item, "Created");
    } catch (err) {
      const box = this.$("#ni-error");
      if (box) box.textContent = err.message;
    }
  }

  async addTo(item) {
    try {
      await this.ctx.api(`/api/backlog/${item.id}/evidence/`, { method: "POST", body: this.body() });
      this.done(item, "Added to");
    } catch (err) {
      this.ctx.toast(`Not added: ${err.message}`);
    }
  }

  attach(item) { return this.addTo(item); }

  done(item, verb) {
    const n = this.picked.size;
    this.picked.clear();
    for (const box of this.main.querySelectorAll(".ev-row input:checked")) box.checked = false;
    this.updateTray();
    this.panel(h("p", { class: "ok", role: "status", id: "ev-done" }, `${verb} “${item.title}” with ${plural(n, "piece")} of evidence.`),
      h("p", {}, h("a", { class: "button", href: `/backlog/${item.id}`, "data-link": true, id: "ev-open-item" }, "Open the item")));
  }

  async pickItemForm() {
    const q = h("input", { id: "pi-q", type: "search", placeholder: "Words in the title" });
    const list = h("ul", { id: "pi-list", class: "dup-list" });
    // The list is cursor-paginated: "Load more" follows the page's `next` (same origin, as a path).
    const more = h("button", { type: "button", id: "pi-more", class: "secondary", hidden: true }, "Load more");
    const item = (r) => h("li", { dataset: { id: String(r.id) } },
      h("strong", {}, r.title), ` · ${r.status.replace(/_/g, " ")} `,
      h("button", { type: "button", class: "secondary", onclick: () => this.addTo(r) }, "Add here"));
    const load = async (url, first) => {
      more.hidden = true;
      try {
        const page = await this.ctx.api(url, { signal: this.signal });
        if (!this.alive) return;
        if (first) fill(list, page.results.length ? page.results.map(item) : h("li", { class: "muted" }, "No open item matches."));
        else list.append(...page.results.map(item));
        const next = page.next && new URL(page.next, location.origin);
        more.hidden = !next;
        more.onclick = next ? () => load(next.pathname + next.search, false) : null;
      } catch (err) {
        if (!this.alive) return;
        const error = h("li", { class: "error" }, err.message);
        if (first) fill(list, error); else list.append(error);
      }
    };
    const search = () => {
      const params = new URLSearchParams({ status: OPEN, page_size: "20" });
      if (q.value.trim()) params.set("q", q.value.trim());
      return load(`/api/backlog/?${params}`, true);
    };
    const form = h("form", { role: "search", id: "pick-item-form" }, h("h2", {}, "Add to an open item"),
      h("label", { for: "pi-q" }, "Find the item"), h("div", { class: "row" }, q, h("button", { type: "submit" }, "Search")), list, more);
    this.on(form, "submit", (e) => { e.preventDefault(); search(); });
    this.panel(form);
    await search();
  }
}

export const { render, unmount } = mountable(Evidence);
