// Admin > AI tools: model card (CHAI applied model card fields), model versions, and the widget
// keys with their allowed origins (a new key is shown once, with the script tag to embed).
import { h } from "../dom.js";

function field(id, labelText, input) {
  input.id = id;
  return h("div", { class: "field" }, h("label", { for: id }, labelText), input);
}

function status(id) {
  return h("p", { id, role: "status", "aria-live": "polite" });
}

async function cardSection(tool, api) {
  const { fields } = await api("/api/model-card-fields/");
  const note = status("card-status");
  const inputs = Object.entries(fields).map(([key, label]) => {
    const area = h("textarea", { rows: "2", maxlength: "4000", "data-key": key });
    area.value = (tool.model_card || {})[key] || "";
    return field(`card-${key}`, label, area);
  });
  const form = h("form", { id: "card-form", novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    const card = {};
    form.querySelectorAll("textarea[data-key]").forEach((t) => { if (t.value.trim()) card[t.dataset.key] = t.value; });
    try {
      await api(`/api/tools/${tool.id}/`, { method: "PATCH", body: { model_card: card } });
      note.textContent = "Model card saved.";
    } catch (err) { note.textContent = `Not saved: ${err.message}`; }
  } }, ...inputs, h("button", { type: "submit" }, "Save model card"), note);
  return h("details", { class: "card", id: "model-card" }, h("summary", {}, h("h2", {}, "Model card (CHAI applied model card)")), form);
}

async function versionsSection(tool, api) {
  const list = h("ul", { id: "version-list" });
  const note = status("version-status");
  const load = async () => {
    const page = await api(`/api/tools/${tool.id}/versions/`);
    list.replaceChildren(...page.results.map((v) => h("li", {}, h("strong", {}, v.version),
      v.released_at ? ` · released ${v.released_at}` : "", v.notes ? ` · ${v.notes}` : "")));
    if (!page.results.length) list.replaceChildren(h("li", { class: "muted" }, "No versions yet."));
  };
  const version = h("input", { maxlength: "40", required: true });
  const released = h("input", { type: "date" });
  const notes = h("input", { maxlength: "2000" });
  const form = h("form", { id: "version-form", novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    try {
      await api(`/api/tools/${tool.id}/versions/`, { method: "POST",
        body: { version: version.value.trim(), released_at: released.value || null, notes: notes.value } });
      note.textContent = `Version ${version.value} added.`;
      form.reset();
      await load();
    } catch (err) { note.textContent = `Not added: ${err.message}`; }
  } }, field("v-version", "Version", version), field("v-released", "Released on", released),
  field("v-notes", "What changed", notes), h("button", { type: "submit" }, "Add version"), note);
  await load();
  return h("section", { class: "card", "aria-labelledby": "versions-h" }, h("h2", { id: "versions-h" }, "Model versions"), list, form);
}

function snippet(tool, key) {
  return `<script src="${location.origin}/widget.js" data-tool="${tool.id}" data-key="${key}" data-output-ref="OUTPUT-ID" data-model-version="VERSION"></script>`;
}

async function keysSection(tool, api) {
  const list = h("ul", { id: "key-list" });
  const shown = h("div", { id: "new-key", "aria-live": "polite" });
  const note = status("key-status");
  const load = async () => {
    const { results } = await api(`/api/tools/${tool.id}/keys/`);
    list.replaceChildren(...results.map((k) => h("li", { id: `key-${k.id}` },
      h("code", {}, `rtk_${k.prefix}_…`), ` ${k.label || ""} · origins: ${k.origins.join(", ") || "servers only"}`,
      k.revoked_at ? h("strong", {}, ` · revoked ${new Date(k.revoked_at).toLocaleString()}`)
        : h("button", { type: "button", class: "secondary", "aria-label": `Revoke key rtk_${k.prefix}`, onclick: async () => {
          if (!confirm(`Revoke key rtk_${k.prefix}? Widgets using it stop working at once.`)) return;
          await api(`/api/tools/${tool.id}/keys/${k.id}/`, { method: "DELETE" });
          note.textContent = "Key revoked.";
          await load();
        } }, "Revoke"))));
    if (!results.length) list.replaceChildren(h("li", { class: "muted" }, "No keys yet."));
  };
  const origins = h("textarea", { rows: "2", placeholder: "https://ehr.hospital.example" });
  const label = h("input", { maxlength: "120" });
  const form = h("form", { id: "key-form", novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    try {
      const body = { origins: origins.value.split(/\s+/).filter(Boolean), label: label.value };
      const made = await api(`/api/tools/${tool.id}/keys/`, { method: "POST", body });
      const code = h("textarea", { id: "new-key-snippet", rows: "4", readonly: true });
      code.value = snippet(tool, made.key);
      shown.replaceChildren(h("p", { class: "warn" }, "Copy this key now: it is shown only once."),
        h("p", {}, h("code", { id: "new-key-value" }, made.key)), field("new-key-snippet", "Script tag to embed", code));
      form.reset();
      await load();
    } catch (err) { note.textContent = `No key made: ${err.message}`; }
  } }, field("k-origins", "Allowed origins (one per line; none = servers only)", origins),
  field("k-label", "Label", label), h("button", { type: "submit" }, "New key"), note);
  await load();
  return h("section", { class: "card", "aria-labelledby": "keys-h" }, h("h2", { id: "keys-h" }, "Widget keys"), list, form, shown);
}

export async function render(main, { api }) {
  const page = await api("/api/tools/?page_size=200");
  const tools = page.results || page;
  const box = h("div", { id: "tool-admin" });
  const draw = async (id) => {
    const tool = await api(`/api/tools/${id}/`);
    box.replaceChildren(await keysSection(tool, api), await versionsSection(tool, api), await cardSection(tool, api));
  };
  const picker = h("select", { id: "admin-tool", onchange: (e) => draw(e.target.value) },
    ...tools.map((t) => h("option", { value: String(t.id) }, t.name)));
  main.replaceChildren(h("h1", {}, "AI tools"), field("admin-tool", "Tool", picker), box);
  if (tools.length) await draw(tools[0].id);
  else box.replaceChildren(h("p", { class: "muted" }, "No tools yet."));
}
