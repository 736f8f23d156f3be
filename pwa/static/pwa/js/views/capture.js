// Capture: log a pain point in seconds, online or not. Saves go to the user's IndexedDB queue at
// once (optimistic) and are synced in the background; each queued item shows its outcome.
import * as queue from "../queue.js";
import { describeErrors, refreshBadges, requestBackgroundSync, syncNow } from "../sync.js";
import { decode, Redactor } from "../redact.js";
import { offlinePhiKinds, offlinePhiWarning } from "../phi-offline.js";
import { esc, fill, h, plural } from "../dom.js";

const SEVERITIES = [
  [1, "Minor annoyance"], [2, "Slows work"], [3, "Blocks work, workaround needed"], [4, "Patient-safety risk"],
];
const ROLES = [
  ["nurse", "Nurse"], ["physician", "Physician"], ["pharmacist", "Pharmacist"],
  ["respiratory_therapist", "Respiratory therapist"], ["technician", "Technician"], ["clerk", "Clerk"],
  ["other", "Other"],
];
const FREQUENCIES = [["once", "Once"], ["daily", "Daily"], ["every_shift", "Every shift"], ["hourly", "Hourly"]];
const STATUS_LABELS = {
  pending: "Waiting to sync", syncing: "Syncing…", stored: "Stored, photo still to send",
  conflict: "Conflict", rejected: "Rejected",
};
const REF_KINDS = ["units", "workflows", "tools"];

let view = null; // the live view; replaced (and its listeners dropped) on every render

export async function render(main, { state, api, toast }) {
  unmount();
  const me = state.me;
  const v = { me, state, api, toast, main, abort: new AbortController(), redactor: null, editing: null, ref: {} };
  view = v;
  main.innerHTML = template(); // constants only: every label below is a literal of this module
  main.querySelector("#capture-memory").hidden = queue.persistent;
  const ref = await loadReference(api);
  if (view !== v) return; // left while the lists loaded
  view.ref = ref;
  fillSelects(view.ref, lastChoices(me.id));
  wire(view);
  await Promise.all([renderQueue(), renderSynced(), refreshBadges()]);
  if (view !== v) return; // left while the queue was drawn (a quick Back): no page to focus
  main.querySelector("#description").focus({ preventScroll: true });
}

/** Leaving Capture: drop window listeners so nothing writes to a page that is gone. */
export function unmount() {
  if (!view) return;
  view.abort.abort();
  view = null;
}

function options(items, { blank } = {}) {
  const first = blank ? `<option value="">${esc(blank)}</option>` : "";
  return first + items.map(([v, l]) => `<option value="${esc(v)}">${esc(l)}</option>`).join("");
}

function optionNodes(items, { blank } = {}) {
  return [blank ? h("option", { value: "" }, blank) : null, ...items.map(([v, l]) => h("option", { value: v }, l))];
}

function radios(name, items, cls) {
  return items.map(([v, l]) => `
    <input type="radio" class="sr-only" name="${name}" id="${name}-${v}" value="${v}">
    <label for="${name}-${v}" class="choice ${cls} ${cls}-${v}">${cls === "sev" ? `<b>${v}</b> ` : ""}${l}</label>`)
    .join("");
}

function template() {
  return `
  <div class="capture-head row">
    <h1>Capture</h1>
    <span class="count-badge"><span id="capture-unsynced" data-unsynced>0</span> unsynced</span>
    <p id="capture-net" class="muted" role="status"></p>
  </div>
  <p id="capture-memory" class="offline-note" hidden>This address is plain HTTP, so the browser keeps
    nothing on this device: saved items wait in this page only and sync at once when online. Closing
    the page loses items not yet synced. Offline capture needs Rounds on HTTPS.</p>
  <form id="capture-form" class="card capture-form" novalidate>
    <p id="edit-banner" class="edit-banner" hidden></p>
    <div class="capture-grid">
      <div><label for="unit">Unit</label><select id="unit" name="unit" required></select></div>
      <div><label for="workflow">Workflow</label><select id="workflow" name="workflow" required></select></div>
      <div><label for="role_observed">Role observed</label>
        <select id="role_observed" name="role_observed">${options(ROLES)}</select></div>
      <div><label for="tool">AI tool (optional)</label><select id="tool" name="tool"></select></div>
    </div>
    <label for="description">What got in the way?</label>
    <textarea id="description" name="description" maxlength="5000" required
      aria-describedby="phi-warning" placeholder="e.g. BPA fired 3 times during med rec at 0700"></textarea>
    <p id="phi-warning" class="phi-warning" role="status" aria-live="polite" hidden></p>
    <fieldset class="choices severity"><legend>Severity</legend>${radios("severity", SEVERITIES, "sev")}</fieldset>
    <fieldset class="choices"><legend>How often</legend>${radios("frequency", FREQUENCIES, "freq")}</fieldset>
    <div class="capture-grid">
      <div><label for="minutes_lost">Minutes lost (optional)</label>
        <input id="minutes_lost" name="minutes_lost" type="number" min="0" max="600" inputmode="numeric"></div>
      <div><label for="tags">Tags (comma separated, optional)</label>
        <input id="tags" name="tags" autocomplete="off"></div>
      <div class="check"><input id="patient_safety" name="patient_safety" type="checkbox">
        <label for="patient_safety">Patient safety involved</label></div>
    </div>
    <div class="photo-block">
      <div class="row">
        <input id="photo-camera" class="sr-only file-input" type="file" accept="image/*" capture="environment">
        <label for="photo-camera" class="button secondary">Take photo</label>
        <input id="photo-file" class="sr-only file-input" type="file" accept="image/jpeg,image/png,image/webp">
        <label for="photo-file" class="button secondary">Choose photo</label>
      </div>
      <p id="photo-help" class="muted" hidden>Drag over faces, names, wristbands and screens with patient
        details: they are blacked out on this device before the photo is saved.</p>
      <div id="redact-area" class="redact-area"></div>
      <p id="photo-suggest" class="photo-suggest" role="status" aria-live="polite" hidden></p>
      <div id="redact-tools" class="row" hidden>
        <span id="redact-count" class="muted">0 boxes</span>
        <button type="button" class="secondary" id="redact-undo">Undo box</button>
        <button type="button" class="secondary" id="photo-remove">Remove photo</button>
      </div>
    </div>
    <p id="form-error" class="error" role="alert"></p>
    <div class="row">
      <button type="submit" id="save" class="save">Save</button>
      <button type="button" class="secondary" id="cancel-edit" hidden>Cancel edit</button>
    </div>
  </form>
  <section class="card" aria-labelledby="queue-h">
    <div class="row"><h2 id="queue-h">Waiting on this device</h2>
      <button type="button" id="sync-now">Sync now</button>
      <span id="sync-status" class="muted" role="status" aria-live="polite"></span></div>
    <ul id="queue-list" class="obs-list"></ul>
  </section>
  <section class="card" aria-labelledby="synced-h">
    <h2 id="synced-h">Synced</h2>
    <ul id="synced-list" class="obs-list"></ul>
  </section>`;
}

// Reference data is cached so the form still works when the tablet starts offline.
async function loadReference(api) {
  const ref = {};
  for (const kind of REF_KINDS) {
    const key = `rounds.ref.${kind}`;
    try {
      if (!navigator.onLine) throw new Error("offline");
      ref[kind] = await fetchAll(api, `/api/${kind}/?page_size=200`);
      localStorage.setItem(key, JSON.stringify(ref[kind]));
    } catch (err) {
      ref[kind] = JSON.parse(localStorage.getItem(key) || "[]");
    }
  }
  return ref;
}

async function fetchAll(api, path) {
  const items = [];
  for (let next = path; next;) {
    const page = await api(next);
    items.push(...page.results);
    const url = page.next && new URL(page.next, location.origin);
    next = url ? url.pathname + url.search : null;
  }
  return items;
}

function lastKey(userId) {
  return `rounds.capture.last.u${userId}`;
}

function lastChoices(userId) {
  return JSON.parse(localStorage.getItem(lastKey(userId)) || "{}");
}

function fillSelects(ref, last) {
  const $ = (s) => view.main.querySelector(s);
  fill($("#unit"), optionNodes(ref.units.map((u) => [u.id, u.site ? `${u.name} (${u.site})` : u.name]),
    { blank: "Choose a unit" }));
  fill($("#workflow"), optionNodes(ref.workflows.map((w) => [w.id, w.name]), { blank: "Choose a workflow" }));
  fill($("#tool"), optionNodes(ref.tools.map((t) => [t.id, t.name]), { blank: "None" }));
  $("#unit").value = last.unit ?? "";
  $("#workflow").value = last.workflow ?? "";
  $("#tool").value = last.tool ?? "";
  $("#role_observed").value = last.role_observed || "nurse";
  setRadio("frequency", last.frequency || "once");
  if (!ref.units.length || !ref.workflows.length) {
    $("#form-error").textContent = navigator.onLine
      ? "No units or workflows exist yet: ask an admin to add them."
      : "Open Capture once while online so the unit and workflow lists are kept on this tablet.";
  }
}

function setRadio(name, value) {
  const el = view.main.querySelector(`input[name="${name}"][value="${value}"]`);
  if (el) el.checked = true;
  for (const r of view.main.querySelectorAll(`input[name="${name}"]`)) if (r !== el) r.checked = false;
}

function wire(v) {
  const $ = (s) => v.main.querySelector(s);
  const opts = { signal: v.abort.signal };
  $("#capture-form").addEventListener("submit", (e) => { e.preventDefault(); save(); });
  $("#description").addEventListener("input", () => phiCheckSoon());
  for (const r of v.main.querySelectorAll('input[name="severity"]')) {
    r.addEventListener("change", () => { if (r.value === "4") $("#patient_safety").checked = true; });
  }
  $("#photo-camera").addEventListener("change", (e) => choosePhoto(e.target));
  $("#photo-file").addEventListener("change", (e) => choosePhoto(e.target));
  $("#redact-undo").addEventListener("click", () => { v.redactor?.undo(); countBoxes(); });
  $("#photo-remove").addEventListener("click", () => clearPhoto());
  $("#redact-area").addEventListener("redact:change", () => countBoxes());
  $("#cancel-edit").addEventListener("click", () => resetForm());
  $("#sync-now").addEventListener("click", () => runSync(true));
  $("#queue-list").addEventListener("click", (e) => queueAction(e));
  window.addEventListener("rounds:queue", () => renderQueue(), opts);
  window.addEventListener("rounds:synced", (e) => afterSync(e.detail), opts);
  window.addEventListener("rounds:net", () => { netNote(); phiCheckSoon(); }, opts);
  netNote();
}

const NET_NOTES = {
  online: "",
  offline: "Offline: saving still works. Items wait on this device and sync by themselves when you reconnect.",
  unreachable: "The server is not answering: saving still works, and items sync by themselves when it is back.",
};

function netNote() {
  if (!view) return;
  view.main.querySelector("#capture-net").textContent = NET_NOTES[view.state.net] || "";
}

// --- Photo -----------------------------------------------------------------------------------

async function choosePhoto(input) {
  const file = input.files && input.files[0];
  input.value = "";
  if (!file) return;
  const error = view.main.querySelector("#form-error");
  error.textContent = "";
  try {
    const bitmap = await decode(file);
    view.redactor = new Redactor(view.main.querySelector("#redact-area"), bitmap);
    if (view.editing) view.editing = { ...view.editing, photo: null, redact: [] };
    photoTools(true);
    suggestBoxes(view.redactor);
  } catch (err) {
    error.textContent = err.message;
  }
}

function photoTools(shown, note = "") {
  const $ = (s) => view.main.querySelector(s);
  $("#redact-tools").hidden = !shown;
  $("#photo-help").hidden = !view.redactor;
  $("#redact-undo").hidden = !view.redactor;
  if (note) fill($("#redact-area"), h("p", { class: "muted" }, note));
  countBoxes();
}

function countBoxes() {
  const n = view.redactor ? view.redactor.boxes.length : (view.editing?.redact || []).length;
  view.main.querySelector("#redact-count").textContent = `${n} redaction box${n === 1 ? "" : "es"}`;
  view.main.querySelector("#redact-undo").disabled = !view.redactor || n === 0; // nothing to undo yet
}

// The server finds faces and PHI text in the photo and they are filled on the preview (and burnt in
// on save). Offline, or if the check fails, the server still finds and fills them on upload.
async function suggestBoxes(redactor) {
  const note = view.main.querySelector("#photo-suggest");
  const say = (text) => { note.textContent = text; note.hidden = false; };
  if (!navigator.onLine) {
    say("Offline: faces and patient details are found and blacked out when the photo is sent.");
    return;
  }
  say("Checking the photo for faces and patient details…");
  try {
    const { blob } = await redactor.jpeg();
    const form = new FormData();
    form.append("image", blob, "photo.jpg");
    const res = await view.api("/api/phi/photo-check/", { method: "POST", form });
    if (view.redactor !== redactor) return; // the photo was changed or removed meanwhile
    redactor.suggest(res.auto_redacted);
    say(describeSuggestions(res.auto_redacted));
  } catch (err) {
    if (view.redactor === redactor) {
      say(`Not checked now (${err.message}) — faces and patient details are blacked out when the photo is sent.`);
    }
  }
}

function describeSuggestions(found) {
  if (!found.length) return "No faces or patient details found. Drag over anything else that identifies someone.";
  const faces = found.filter((f) => f.kind === "face").length;
  const label = (t) => (t.length <= 3 ? t : t.toLowerCase()); // MRN, SSN, DOB stay capitals
  const texts = [...new Set(found.filter((f) => f.kind === "text").map((f) => label(f.type || "text")))];
  const parts = [];
  if (faces) parts.push(`${faces} face${faces === 1 ? "" : "s"}`);
  if (texts.length) parts.push(`patient details (${texts.join(", ")})`);
  return `Blacked out automatically: ${parts.join(" and ")}. Drag over anything else that identifies someone.`;
}

function clearPhoto() {
  view.main.querySelector("#photo-suggest").hidden = true;
  view.redactor = null;
  if (view.editing) view.editing = { ...view.editing, photo: null, redact: [] };
  fill(view.main.querySelector("#redact-area"));
  photoTools(false);
}

// --- PHI warning (the server's check online, phi-offline.js's shapes offline; the server masks
// PHI on save either way) ----------------------------------------------------------------------

function phiCheckSoon() {
  clearTimeout(view.phiTimer);
  view.phiTimer = setTimeout(phiCheck, 400);
}

async function phiCheck() {
  const v = view;
  const warn = v.main.querySelector("#phi-warning");
  const text = v.main.querySelector("#description").value;
  if (text.trim().length < 3) { warn.hidden = true; return; }
  if (!navigator.onLine) { showOffline(warn, text); return; }
  if (v.phiAbort) v.phiAbort.abort();
  v.phiAbort = new AbortController();
  try {
    const res = await v.api("/api/phi/check/", { method: "POST", body: { text }, signal: v.phiAbort.signal });
    showPhi(warn, res);
  } catch (err) {
    if (err.name !== "AbortError") showOffline(warn, text);
  }
}

function showOffline(warn, text) {
  warn.textContent = offlinePhiWarning(offlinePhiKinds(text));
  warn.hidden = !warn.textContent;
}

function showPhi(warn, res) {
  if (!res.spans || !res.spans.length) { warn.hidden = true; warn.textContent = ""; return; }
  const types = [...new Set(res.spans.map((s) => s.type.replaceAll("_", " ").toLowerCase()))];
  warn.textContent = `This looks like patient information (${types.join(", ")}). It will be stored as: “${res.masked}”`;
  warn.hidden = false;
}

// --- Save -----------------------------------------------------------------------------------

function readForm() {
  const f = view.main.querySelector("#capture-form");
  const sev = f.querySelector('input[name="severity"]:checked');
  const freq = f.querySelector('input[name="frequency"]:checked');
  const tags = f.tags.value.split(",").map((t) => t.trim()).filter(Boolean);
  const payload = {
    unit: Number(f.unit.value) || null, workflow: Number(f.workflow.value) || null,
    role_observed: f.role_observed.value, description: f.description.value.trim(),
    severity: sev ? Number(sev.value) : null, frequency: freq ? freq.value : "once",
    patient_safety: f.patient_safety.checked, tags,
  };
  if (f.tool.value) payload.tool = Number(f.tool.value);
  if (f.minutes_lost.value !== "") payload.minutes_lost = Number(f.minutes_lost.value);
  return payload;
}

function validate(p) {
  const errors = [];
  if (!p.unit) errors.push("choose a unit");
  if (!p.workflow) errors.push("choose a workflow");
  if (!p.description) errors.push("describe what happened");
  if (!p.severity) errors.push("tap a severity");
  if (p.tags.length > 10) errors.push("use at most 10 tags");
  if (p.minutes_lost !== undefined && !(p.minutes_lost >= 0 && p.minutes_lost <= 600)) {
    errors.push("minutes lost must be between 0 and 600");
  }
  return errors;
}

async function save() {
  const v = view;
  const error = v.main.querySelector("#form-error");
  const fields = readForm();
  const problems = validate(fields);
  if (problems.length) { error.textContent = `To save: ${problems.join(", ")}.`; return; }
  error.textContent = "";
  const button = v.main.querySelector("#save");
  button.disabled = true;
  try {
    const photo = v.redactor ? await v.redactor.result() : null;
    if (v.editing) await saveEdit(v.editing, fields, photo);
    else await queue.add(v.me.id, queue.newRecord(newPayload(fields), photo));
    remember(fields);
    resetForm();
    const note = v.toast(navigator.onLine ? "Saved. Syncing…" : "Saved on this device. It syncs when you are back online.");
    if (navigator.onLine) v.syncNote = note; // the status line says "Last sync: …": the note goes
    requestBackgroundSync();
    if (navigator.onLine) runSync(false);
  } catch (err) {
    error.textContent = `Not saved: ${err.message}`;
  } finally {
    button.disabled = false;
  }
}

function newPayload(fields) {
  return { client_id: queue.uuid(), captured_at: new Date().toISOString(), ...fields };
}

// Rejected items are fixed and resent under the same client_id (nothing was stored); a conflict
// means that id already holds other content, so the edited item is resent as a new observation.
async function saveEdit(record, fields, photo) {
  const uid = view.me.id;
  const payload = { ...record.payload, ...fields };
  if (!fields.tool) delete payload.tool;
  if (fields.minutes_lost === undefined) delete payload.minutes_lost;
  const next = { ...record, payload, status: "pending", error: "", errors: {} };
  if (photo) Object.assign(next, { photo: photo.blob, redact: photo.boxes, photo_client_id: queue.uuid() });
  if (record.status === "conflict") {
    payload.client_id = queue.uuid();
    await queue.replace(uid, record.client_id, { ...next, client_id: payload.client_id, created: Date.now() });
  } else {
    await queue.put(uid, next);
  }
}

function remember(fields) {
  const { unit, workflow, tool = "", role_observed, frequency } = fields;
  localStorage.setItem(lastKey(view.me.id), JSON.stringify({ unit, workflow, tool, role_observed, frequency }));
}

function resetForm() {
  const $ = (s) => view.main.querySelector(s);
  const last = lastChoices(view.me.id);
  for (const id of ["#description", "#minutes_lost", "#tags"]) $(id).value = "";
  $("#patient_safety").checked = false;
  setRadio("severity", "");
  fillSelects(view.ref, last);
  view.editing = null;
  clearPhoto();
  $("#edit-banner").hidden = true;
  $("#cancel-edit").hidden = true;
  $("#save").textContent = "Save";
  $("#phi-warning").hidden = true;
  $("#description").focus({ preventScroll: true });
}

// --- Queue list and its actions -------------------------------------------------------------

async function renderQueue() {
  const v = view;
  if (!v || !v.main.isConnected) return;
  const list = v.main.querySelector("#queue-list");
  let records;
  try {
    records = await queue.all(v.me.id);
  } catch (err) {
    if (view === v) fill(list, h("li", { class: "error" }, err.message));
    return;
  }
  if (view !== v) return;
  fill(list, records.length ? records.map(queueItem) : h("li", { class: "muted empty" }, "Nothing waiting: everything is synced."));
}

function refName(kind, id) {
  const item = (view.ref[kind] || []).find((x) => x.id === id);
  return item ? item.name : `#${id}`;
}

function queueItem(r) {
  const li = document.createElement("li");
  li.className = "obs-item";
  li.dataset.clientId = r.client_id;
  li.dataset.status = r.status;
  const p = r.payload;
  const fixable = r.status === "conflict" || (r.status === "rejected" && !r.server_id);
  const photoFailed = r.status === "rejected" && r.server_id;
  const act = (name, text, cls = "") => h("button", { type: "button", class: cls, "data-act": name }, text);
  li.append(
    h("div", { class: "obs-head" }, h("span", { class: `status-pill status-${esc(r.status)}` }),
      h("b", { class: `sev-tag sev-${Number(p.severity)}` }), h("span", { class: "desc" })),
    h("div", { class: "muted meta" }),
    h("p", { class: "error reason" }),
    h("div", { class: "row actions" },
      fixable ? act("edit", "Edit & resend") : null,
      photoFailed ? act("retry-photo", "Retry photo") : null,
      photoFailed ? act("drop-photo", "Keep without photo", "secondary") : null,
      fixable ? act("discard", "Discard", "secondary danger-text") : null),
  );
  li.querySelector(".status-pill").textContent = STATUS_LABELS[r.status] || r.status;
  li.querySelector(".sev-tag").textContent = `Severity ${p.severity}`;
  li.querySelector(".desc").textContent = p.description;
  li.querySelector(".meta").textContent = [refName("units", p.unit), refName("workflows", p.workflow),
    new Date(p.captured_at).toLocaleString(), r.photo ? "1 photo (redacted)" : ""].filter(Boolean).join(" · ");
  const details = describeErrors(r.errors);
  li.querySelector(".reason").textContent = [r.error, details && !r.error.includes(details) ? details : ""]
    .filter(Boolean).join(" ");
  return li;
}

async function queueAction(event) {
  const button = event.target.closest("button[data-act]");
  if (!button) return;
  const uid = view.me.id;
  const clientId = button.closest("li").dataset.clientId;
  const record = await queue.get(uid, clientId);
  if (!record) return;
  const act = button.dataset.act;
  if (act === "edit") return startEdit(record);
  if (act === "discard") {
    if (confirm("Discard this observation? It has not been stored and cannot be recovered.")) {
      await queue.remove(uid, clientId);
    }
  } else if (act === "retry-photo") {
    await queue.put(uid, { ...record, status: "stored", error: "", errors: {} });
    runSync(true);
  } else if (act === "drop-photo") {
    await queue.remove(uid, clientId); // the observation itself is already stored on the server
  }
}

function startEdit(record) {
  const $ = (s) => view.main.querySelector(s);
  const p = record.payload;
  fillSelects(view.ref, p);
  $("#description").value = p.description;
  $("#minutes_lost").value = p.minutes_lost ?? "";
  $("#tags").value = (p.tags || []).join(", ");
  $("#patient_safety").checked = !!p.patient_safety;
  setRadio("severity", String(p.severity));
  view.editing = record;
  view.redactor = null;
  fill($("#redact-area"));
  photoTools(!!record.photo, record.photo ? "A redacted photo is attached." : "");
  const banner = $("#edit-banner");
  banner.textContent = record.status === "conflict"
    ? "Editing a conflicting item: it will be sent as a new observation."
    : `Fix and resend: ${describeErrors(record.errors) || record.error}`;
  banner.hidden = false;
  $("#cancel-edit").hidden = false;
  $("#save").textContent = "Save and resend";
  $("#capture-form").scrollIntoView({ behavior: "smooth" });
  $("#description").focus({ preventScroll: true });
}

// --- Sync -----------------------------------------------------------------------------------

async function runSync(manual) {
  const status = view.main.querySelector("#sync-status");
  if (view.state.net !== "online") {
    if (manual) {
      status.textContent = view.state.net === "offline"
        ? "Offline: items sync by themselves when you reconnect."
        : "The server is not answering: items sync by themselves as soon as it does.";
    }
    requestBackgroundSync();
    return;
  }
  status.textContent = "Syncing…";
  await syncNow().catch((err) => { status.textContent = `Sync failed: ${err.message}`; });
}

function afterSync(summary) {
  if (!view || !view.main.isConnected || !summary) return;
  const parts = [];
  const stored = summary.created + summary.duplicate;
  if (stored) parts.push(`${stored} stored`);
  if (summary.photos) parts.push(`${summary.photos} photo${summary.photos === 1 ? "" : "s"}`);
  if (summary.conflict) parts.push(`${summary.conflict} conflict`);
  if (summary.rejected) parts.push(`${summary.rejected} rejected`);
  if (summary.failed) parts.push(`${summary.failed} waiting for the server`);
  view.main.querySelector("#sync-status").textContent = parts.length
    ? `Last sync: ${parts.join(", ")}.` : "Up to date.";
  if (stored && view.syncNote) { view.syncNote(); view.syncNote = null; } // it covered the list
  renderQueue();
  renderSynced();
}

async function renderSynced() {
  const v = view;
  if (!v || !v.main.isConnected) return;
  const list = v.main.querySelector("#synced-list");
  if (v.state.net !== "online") {
    fill(list, h("li", { class: "muted" }, "Offline: your synced observations show when the server answers again."));
    return;
  }
  try {
    const page = await v.api(`/api/observations/?observer=${v.me.id}&page_size=20`);
    if (view !== v) return;
    fill(list, page.results.length ? page.results.map(syncedItem) : h("li", { class: "muted empty" }, "None yet."));
  } catch (err) {
    if (view === v) fill(list, h("li", { class: "error" }, err.message));
  }
}

function syncedItem(o) {
  const li = document.createElement("li");
  li.className = "obs-item";
  li.dataset.clientId = o.client_id;
  li.dataset.status = "stored";
  const photos = (o.photos || []).length;
  li.append(
    h("div", { class: "obs-head" }, h("span", { class: "status-pill status-stored" }, "Stored"),
      h("b", { class: `sev-tag sev-${Number(o.severity)}` }, `Severity ${o.severity}`),
      h("span", { class: "desc" }, o.description)),
    h("div", { class: "muted meta" }, [refName("units", o.unit), new Date(o.captured_at).toLocaleString(),
      photos ? plural(photos, "photo") : ""].filter(Boolean).join(" · ")),
  );
  return li;
}
