// Admin > Units and Admin > Workflows: the reference data observations are filed under. Add,
// find and edit; there is no delete, because observations and backlog items point at them.
import { h } from "../../dom.js";
import { errorText, field, loadList, note, pager } from "./kit.js";

const UNITS = {
  id: "unit", title: "Units", one: "unit", api: "/api/units/",
  intro: "Care units where observations are made (\"4 West Med-Surg\"). A name is unique within its site.",
  fields: [
    { name: "name", label: "Unit name", max: 120, required: true },
    { name: "site", label: "Site (hospital or campus)", max: 120 },
  ],
  line: (u) => [h("strong", {}, u.name), u.site ? h("span", { class: "muted" }, u.site) : null],
};

const WORKFLOWS = {
  id: "workflow", title: "Workflows", one: "workflow", api: "/api/workflows/",
  intro: "Clinical workflows an observation is about (\"medication reconciliation\", \"discharge\").",
  fields: [
    { name: "name", label: "Workflow name", max: 120, required: true },
    { name: "description", label: "What it covers", max: 2000, long: true },
  ],
  line: (w) => [h("strong", {}, w.name), w.description ? h("span", { class: "muted" }, w.description) : null],
};

function inputs(kind, prefix, values = {}) {
  return kind.fields.map((f) => {
    const input = f.long ? h("textarea", { name: f.name, maxlength: String(f.max), rows: "2" })
      : h("input", { name: f.name, maxlength: String(f.max), required: f.required || null, autocomplete: "off" });
    input.value = values[f.name] || "";
    return field(`${prefix}-${f.name}`, f.label, input);
  });
}

const bodyOf = (kind, form) => Object.fromEntries(kind.fields.map((f) => [f.name, form.elements[f.name].value.trim()]));

class Reference {
  constructor(kind, root, ctx) {
    this.kind = kind;
    this.root = root;
    this.ctx = ctx;
    this.list = h("ul", { id: `${kind.id}-list`, class: "admin-list" });
    this.status = note(`${kind.id}-status`);
    this.more = pager(`${kind.id}-more`, `Show more ${kind.title.toLowerCase()}`, (url) => this.load(url, true));
  }

  async mount() {
    const k = this.kind;
    this.q = h("input", { type: "search", name: "q", maxlength: "120" });
    const find = h("form", { id: `${k.id}-filter`, class: "filters", role: "search" },
      field(`${k.id}-q`, "Find by name", this.q), h("button", { type: "submit" }, "Find"));
    find.addEventListener("submit", (event) => { event.preventDefault(); this.load(); });
    this.root.append(h("h1", {}, k.title), h("p", { class: "muted" }, k.intro), this.createForm(),
      h("section", { class: "card", "aria-labelledby": `${k.id}-list-h` },
        h("h2", { id: `${k.id}-list-h` }, `All ${k.title.toLowerCase()}`), find, this.status, this.list, this.more.el));
    await this.load();
  }

  createForm() {
    const k = this.kind;
    const error = h("p", { class: "error", role: "alert", id: `new-${k.id}-error` });
    const form = h("form", { id: `new-${k.id}-form`, novalidate: true }, ...inputs(k, `new-${k.id}`), error,
      h("button", { type: "submit" }, `Add ${k.one}`));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      error.textContent = "";
      try {
        const made = await this.ctx.api(k.api, { method: "POST", body: bodyOf(k, form) });
        form.reset();
        this.ctx.toast(`${made.name} added.`);
        await this.load();
      } catch (err) { error.textContent = errorText(err); }
    });
    return h("section", { class: "card", "aria-labelledby": `new-${k.id}-h` },
      h("h2", { id: `new-${k.id}-h` }, `Add a ${k.one}`), form);
  }

  load(url = null, append = false) {
    const k = this.kind;
    const params = new URLSearchParams({ page_size: "100" });
    if (this.q.value.trim()) params.set("q", this.q.value.trim());
    return loadList({ api: this.ctx.api, path: `${k.api}?${params}`, url, append, list: this.list,
      item: (x) => this.item(x), empty: `No ${k.title.toLowerCase()} found.`, more: this.more, status: this.status });
  }

  item(obj) {
    const k = this.kind;
    const li = h("li", { id: `${k.id}-${obj.id}` });
    const draw = (x) => {
      const error = h("p", { class: "error", role: "alert" });
      const form = h("form", { novalidate: true }, ...inputs(k, `${k.id}-${x.id}`, x), error,
        h("button", { type: "submit" }, "Save"));
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        try {
          const saved = await this.ctx.api(`${k.api}${x.id}/`, { method: "PATCH", body: bodyOf(k, form) });
          draw(saved);
          this.ctx.toast(`${saved.name} saved.`);
        } catch (err) { error.textContent = errorText(err); }
      });
      li.replaceChildren(h("div", { class: "who-line" }, ...k.line(x)),
        h("details", { class: "change" }, h("summary", {}, `Edit ${x.name}`), form));
    };
    draw(obj);
    return li;
  }
}

export const units = { render: (root, ctx) => new Reference(UNITS, root, ctx).mount() };
export const workflows = { render: (root, ctx) => new Reference(WORKFLOWS, root, ctx).mount() };
