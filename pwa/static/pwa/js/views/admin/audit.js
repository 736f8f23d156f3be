// Admin > Audit log: who created, changed, exported, viewed or signed in to what, newest first,
// filtered by person, action, kind of thing and dates. The filters live in the address (?actor=…)
// so a filtered view can be reopened or shared with another admin.
import { h, humanize } from "../../dom.js";
import { errorText, field, note, pager, pathOf, row, table, when } from "./kit.js";

const HEAD = ["When", "Who", "Action", "What", "Details", "From"];
const FILTERS = ["actor", "action", "object_type", "object_id", "since", "until"];

// Nested details (a purge's counts per kind) read as words, never as JSON.
function value(v) {
  if (Array.isArray(v)) return v.map(value).join(", ");
  if (typeof v === "object" && v !== null) {
    return Object.entries(v).map(([k, x]) => `${humanize(k).toLowerCase()} ${value(x)}`).join(", ") || "none";
  }
  return /^[a-z]+(_[a-z]+)+$/.test(v) ? v.replace(/_/g, " ") : String(v); // field names as words
}

function details(detail) {
  return Object.entries(detail || {}).map(([k, v]) => `${humanize(k)}: ${
    k === "events" && Array.isArray(v) ? v.map((e) => (e === "*" ? "every event" : e)).join(", ") : value(v)}`).join("; ");
}

// A date picked in the form is a local day: from its start, until the end of the "to" day.
function dayStart(value, plusDays = 0) {
  const [y, m, d] = value.split("-").map(Number);
  return new Date(y, m - 1, d + plusDays).toISOString();
}

class Audit {
  constructor(root, ctx) {
    this.root = root;
    this.ctx = ctx;
    this.body = h("tbody", {});
    this.status = note("audit-status");
    this.more = pager("audit-more", "Show older entries", (url) => this.load(url, true));
  }

  async mount() {
    const [vocab, users] = await Promise.all([
      this.ctx.api("/api/audit/vocabulary/"), this.ctx.api("/api/users/?page_size=200"),
    ]);
    this.types = new Map(vocab.object_types.map((t) => [t.value, t.label]));
    const results = table("audit-table", "Audit entries, newest first", HEAD, [], { hideCaption: true });
    results.querySelector("tbody").replaceWith(this.body);
    this.root.append(
      h("h1", {}, "Audit log"),
      h("p", { class: "muted" }, "Every create, change, delete, merge, export, record view and sign-in, "
        + "with who did it and from where. Nobody can edit or delete an entry."),
      this.filterForm(vocab, users.results),
      h("section", { class: "card", "aria-labelledby": "audit-h" },
        h("h2", { id: "audit-h" }, "Entries, newest first"), this.status, results, this.more.el));
    await this.load();
  }

  filterForm(vocab, users) {
    const params = new URLSearchParams(location.search);
    const select = (name, any, options) => {
      const wanted = params.get(name);
      // A link may name a value the picker does not list yet (e.g. a kind of thing not audited so far).
      if (wanted && !options.some(([value]) => value === wanted)) options.push([wanted, humanize(wanted)]);
      return h("select", { name }, h("option", { value: "" }, any),
        ...options.map(([value, label]) => h("option", { value, selected: wanted === value }, label)));
    };
    this.inputs = {
      actor: select("actor", "Anyone", users.map((u) => [String(u.id), u.display_name ? `${u.display_name} (@${u.username})` : u.username])),
      action: select("action", "Any action", vocab.actions.map((a) => [a, humanize(a)])),
      object_type: select("object_type", "Anything", vocab.object_types.map((t) => [t.value, humanize(t.label)])),
      object_id: h("input", { name: "object_id", inputmode: "numeric", maxlength: "64", value: params.get("object_id") || "" }),
      since: h("input", { type: "date", name: "since", value: params.get("since") || "" }),
      until: h("input", { type: "date", name: "until", value: params.get("until") || "" }),
    };
    const i = this.inputs;
    const clear = h("button", { type: "button", class: "secondary", id: "audit-clear" }, "Clear filters");
    const form = h("form", { id: "audit-filter", class: "card filters", role: "search", "aria-label": "Filter the audit log" },
      field("audit-actor", "Who", i.actor), field("audit-action", "Action", i.action),
      field("audit-type", "What", i.object_type), field("audit-id", "Its number (#)", i.object_id),
      field("audit-since", "From (day)", i.since),
      field("audit-until", "To (day, included)", i.until),
      h("div", { class: "row" }, h("button", { type: "submit" }, "Show entries"), clear));
    form.addEventListener("submit", (event) => { event.preventDefault(); this.load(); });
    clear.addEventListener("click", () => { form.reset(); Object.values(i).forEach((el) => { el.value = ""; }); this.load(); });
    return form;
  }

  chosen() {
    return Object.fromEntries(FILTERS.map((k) => [k, this.inputs[k].value.trim()]).filter(([, v]) => v));
  }

  query() {
    const chosen = this.chosen();
    const params = new URLSearchParams({ page_size: "50" });
    for (const [k, v] of Object.entries(chosen)) {
      if (k === "since") params.set(k, dayStart(v));
      else if (k === "until") params.set(k, dayStart(v, 1));
      else params.set(k, v);
    }
    history.replaceState(history.state, "", `${location.pathname}${Object.keys(chosen).length ? `?${new URLSearchParams(chosen)}` : ""}`);
    return `/api/audit/?${params}`;
  }

  entry(e) {
    const what = `${humanize(this.types.get(e.object_type) || e.object_type)}${e.object_id ? ` #${e.object_id}` : ""}`;
    return row(HEAD, [h("time", { datetime: e.at }, when(e.at)), e.actor_name || "system", humanize(e.action),
      what, details(e.detail) || "–", e.ip || "–"]);
  }

  async load(url = null, append = false) {
    if (!append) this.status.textContent = "Loading…";
    try {
      const page = await this.ctx.api(url ? pathOf(url) : this.query());
      const rows = page.results.map((e) => this.entry(e));
      if (append) this.body.append(...rows);
      else this.body.replaceChildren(...rows);
      this.status.textContent = page.results.length || append ? "" : "No entries match these filters.";
      this.more.set(page.next);
      return page.next;
    } catch (err) {
      this.status.textContent = errorText(err);
      return null;
    }
  }
}

export async function render(root, ctx) {
  await new Audit(root, ctx).mount();
}
