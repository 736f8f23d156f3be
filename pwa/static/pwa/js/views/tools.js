// AI tools (Admin > AI tools for admins; the top bar's "AI tools" for product owners): add a tool,
// edit its name and description, its prototype screens, widget keys with their allowed origins
// (a new key is shown once, with the script tag to embed), model versions and the model card.
import { confirmDialog, h } from "../dom.js";
import { errorText, field, note } from "./admin/kit.js";
import { regionEditor } from "./admin/regions.js";

async function cardSection(tool, api) {
  const { fields } = await api("/api/model-card-fields/");
  const status = note("card-status");
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
      status.textContent = "Model card saved.";
    } catch (err) { status.textContent = `Not saved: ${errorText(err)}`; }
  } }, ...inputs, h("button", { type: "submit" }, "Save model card"), status);
  return h("details", { class: "card", id: "model-card" }, h("summary", {}, h("h2", {}, "Model card (CHAI applied model card)")), form);
}

async function versionsSection(tool, api) {
  const list = h("ul", { id: "version-list" });
  const status = note("version-status");
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
      status.textContent = `Version ${version.value} added.`;
      form.reset();
      await load();
    } catch (err) { status.textContent = `Not added: ${errorText(err)}`; }
  } }, field("v-version", "Version", version), field("v-released", "Released on", released),
  field("v-notes", "What changed", notes), h("button", { type: "submit" }, "Add version"), status);
  await load();
  return h("section", { class: "card", "aria-labelledby": "versions-h" }, h("h2", { id: "versions-h" }, "Model versions"), list, form);
}

function snippet(tool, key) {
  return `<script src="${location.origin}/widget.js" data-tool="${tool.id}" data-key="${key}" data-output-ref="OUTPUT-ID" data-model-version="VERSION"></script>`;
}

async function keysSection(tool, api) {
  const list = h("ul", { id: "key-list" });
  const shown = h("div", { id: "new-key", "aria-live": "polite" });
  const status = note("key-status");
  const revoke = async (k) => {
    const ok = await confirmDialog({ id: "key-revoke-confirm", title: `Revoke key rtk_${k.prefix}?`,
      body: "Widgets and servers using it stop working at once. This cannot be undone.", confirm: "Revoke key", danger: true });
    if (!ok) return;
    try {
      await api(`/api/tools/${tool.id}/keys/${k.id}/`, { method: "DELETE" });
      status.textContent = "Key revoked.";
      await load();
    } catch (err) { status.textContent = errorText(err); }
  };
  const load = async () => {
    const { results } = await api(`/api/tools/${tool.id}/keys/`);
    list.replaceChildren(...results.map((k) => h("li", { id: `key-${k.id}` },
      h("code", {}, `rtk_${k.prefix}_…`), ` ${k.label || ""} · origins: ${k.origins.join(", ") || "servers only"} `,
      k.revoked_at ? h("strong", {}, ` · revoked ${new Date(k.revoked_at).toLocaleString()}`)
        : h("button", { type: "button", class: "secondary", "aria-label": `Revoke key rtk_${k.prefix}`, onclick: () => revoke(k) }, "Revoke"))));
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
    } catch (err) { status.textContent = `No key made: ${errorText(err)}`; }
  } }, field("k-origins", "Allowed origins (one per line; none = servers only)", origins),
  field("k-label", "Label", label), h("button", { type: "submit" }, "New key"), status);
  await load();
  return h("section", { class: "card", "aria-labelledby": "keys-h" }, h("h2", { id: "keys-h" }, "Widget keys"), list, form, shown);
}

function screenItem(screen, api) {
  const summary = h("summary", {}, `Named regions (${(screen.regions || []).length})`);
  const regions = h("details", { class: "change regions" }, summary);
  regions.addEventListener("toggle", () => {
    if (!regions.open || regions.dataset.built) return;
    regions.dataset.built = "1";
    regions.append(regionEditor(screen, { api, onSaved: (s) => { summary.textContent = `Named regions (${s.regions.length})`; } }));
  });
  return h("li", { id: `screen-${screen.id}` },
    h("a", { href: screen.image_url, target: "_blank", rel: "noopener" },
      h("img", { src: screen.thumb_url, alt: `Screen: ${screen.title} (opens full size)`, loading: "lazy", width: "160" })),
    h("span", {}, h("strong", {}, screen.title), ` · version ${screen.version}`), regions);
}

async function screensSection(tool, api) {
  const list = h("ul", { id: "screen-list", class: "screen-grid" });
  const status = note("screen-status");
  const load = async () => {
    const page = await api(`/api/tools/${tool.id}/screens/?page_size=200`);
    list.replaceChildren(...page.results.map((s) => screenItem(s, api)));
    if (!page.results.length) list.replaceChildren(h("li", { class: "muted" }, "No screens yet: add one below."));
  };
  const image = h("input", { type: "file", accept: "image/png,image/jpeg,image/webp", required: true });
  const title = h("input", { maxlength: "200", required: true });
  const version = h("input", { maxlength: "40" });
  version.defaultValue = "1"; // what form.reset() goes back to
  const form = h("form", { id: "screen-form", novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    if (!image.files[0] || !title.value.trim()) { status.textContent = "Choose an image and give it a title."; return; }
    const body = new FormData();
    body.append("image", image.files[0]);
    body.append("title", title.value.trim());
    body.append("version", version.value.trim() || "1");
    status.textContent = "Uploading…";
    try {
      const made = await api(`/api/tools/${tool.id}/screens/`, { method: "POST", form: body });
      status.textContent = `Screen "${made.title}" added.`;
      form.reset();
      await load();
    } catch (err) { status.textContent = `Not added: ${errorText(err)}`; }
  } }, field("scr-image", "Screenshot or mock-up (PNG, JPEG or WebP)", image), field("scr-title", "Title", title),
  field("scr-version", "Prototype version", version), h("button", { type: "submit" }, "Add screen"), status);
  await load();
  return h("section", { class: "card", "aria-labelledby": "screens-h" },
    h("h2", { id: "screens-h" }, "Screens clinicians rate"), list, form);
}

function aboutSection(tool, api, redraw) {
  const name = h("input", { maxlength: "120", required: true, value: tool.name });
  const description = h("textarea", { rows: "2", maxlength: "2000" });
  description.value = tool.description || "";
  const status = note("tool-about-status");
  const form = h("form", { id: "tool-about-form", novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    try {
      const saved = await api(`/api/tools/${tool.id}/`, { method: "PATCH",
        body: { name: name.value.trim(), description: description.value.trim() } });
      await redraw(saved.id, `${saved.name} saved.`);
    } catch (err) { status.textContent = `Not saved: ${errorText(err)}`; }
  } }, field("tool-name", "Name", name), field("tool-description", "What it does", description),
  h("button", { type: "submit" }, "Save"), status);
  return h("details", { class: "card", id: "tool-about" }, h("summary", {}, h("h2", {}, `About ${tool.name}`)), form);
}

function newToolSection(api, redraw) {
  const name = h("input", { maxlength: "120", required: true });
  const description = h("textarea", { rows: "2", maxlength: "2000" });
  const error = h("p", { class: "error", role: "alert", id: "new-tool-error" });
  const form = h("form", { id: "new-tool-form", novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    error.textContent = "";
    try {
      const made = await api("/api/tools/", { method: "POST", body: { name: name.value.trim(), description: description.value.trim() } });
      form.reset();
      form.parentElement.open = false;
      await redraw(made.id, `${made.name} added.`);
    } catch (err) { error.textContent = errorText(err); }
  } }, field("new-tool-name", "Name", name), field("new-tool-description", "What it does", description),
  error, h("button", { type: "submit" }, "Add tool"));
  return h("details", { class: "card", id: "new-tool" }, h("summary", {}, h("h2", {}, "Add a tool")), form);
}

export async function render(main, { api, toast }) {
  const box = h("div", { id: "tool-admin" });
  const picker = h("select", { id: "admin-tool" });
  const status = note("tools-status");
  const draw = async (id) => {
    const tool = await api(`/api/tools/${id}/`);
    box.replaceChildren(aboutSection(tool, api, redraw), await screensSection(tool, api),
      await keysSection(tool, api), await versionsSection(tool, api), await cardSection(tool, api));
  };
  const fillPicker = async (chosen) => {
    const page = await api("/api/tools/?page_size=200");
    const tools = page.results || page;
    picker.replaceChildren(...tools.map((t) => h("option", { value: String(t.id), selected: String(t.id) === String(chosen) }, t.name)));
    return tools;
  };
  async function redraw(id, message) {
    await fillPicker(id);
    picker.parentElement.hidden = false;
    await draw(id);
    if (message) toast(message);
  }
  picker.addEventListener("change", () => draw(picker.value).catch((err) => { status.textContent = errorText(err); }));
  const tools = await fillPicker(null);
  main.replaceChildren(h("h1", {}, "AI tools"), newToolSection(api, redraw),
    h("div", { class: "field", hidden: !tools.length }, h("label", { for: "admin-tool" }, "Tool to manage"), picker), status, box);
  if (tools.length) await draw(tools[0].id);
  else box.replaceChildren(h("p", { class: "muted", id: "no-tools" }, "No tools yet: add the first one above."));
}
