// Admin > Data & devices: retention per data class, legal holds, what each purge deleted (counts)
// and devices holding unsynced items. A person's export and erasure are under Admin > Users.
import { confirmDialog, h } from "../dom.js";
import { errorText, row, table } from "./admin/kit.js";

const FIELDS = [
  ["observations_days", "Observations"], ["photos_days", "Photos"], ["ratings_days", "Ratings"],
  ["comments_days", "Comments"], ["notifications_days", "Notifications"],
  ["audit_days", "Audit trail (at least 2190)"],
];

const el = h; // props (className, textContent, onclick …) as dom.js takes them

const HOLDS = ["Matter", "Unit", "Person", "From", "Until", "Release"];
const RUNS = ["Started", "Trigger", "Deleted", "Kept by holds"];
const DEVICES = ["Device", "User", "Unsynced items", "Last seen", "Browser"];

const when = (iso) => (iso ? new Date(iso).toLocaleString() : "");
const counts = (obj) => Object.entries(obj || {}).map(([k, v]) => `${k} ${v}`).join(", ");

async function retention(section, { api, toast }) {
  const policy = await api("/api/retention/");
  // noValidate: the server's sentence ("at least 2190 days…") is the one to show.
  const form = el("form", { id: "retention-form", className: "grid-form", noValidate: true });
  for (const [name, label] of FIELDS) {
    const input = el("input", { id: `ret-${name}`, name, type: "number", min: name === "audit_days" ? 2190 : 1,
      max: 36500, value: policy[name], required: true });
    form.append(el("label", { htmlFor: input.id, textContent: `${label} (days)` }), input);
  }
  const error = el("p", { className: "error", role: "alert", id: "retention-error" });
  form.append(error, el("button", { type: "submit", textContent: "Save retention" }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    const body = Object.fromEntries(FIELDS.map(([n]) => [n, Number(form[n].value)]));
    try {
      await api("/api/retention/", { method: "PUT", body });
      toast("Retention saved.");
    } catch (err) {
      error.textContent = errorText(err);
    }
  });
  section.append(form);
}

async function holds(section, ctx) {
  const { api, toast } = ctx;
  const [list, units, users] = await Promise.all([
    api("/api/legal-holds/"), api("/api/units/?page_size=200"), api("/api/users/?page_size=200"),
  ]);
  const unitName = new Map(units.results.map((u) => [u.id, u.name]));
  const userName = new Map(users.results.map((u) => [u.id, u.username]));
  const rows = list.results.map((h) => {
    const release = el("button", { className: "secondary", textContent: "Release", type: "button" });
    release.addEventListener("click", async () => {
      const ok = await confirmDialog({ id: "release-confirm", title: `Release legal hold "${h.name}"?`,
        body: "The data it covers becomes purgeable again under the retention rules.", confirm: "Release hold", danger: true });
      if (!ok) return;
      try {
        await api(`/api/legal-holds/${h.id}/`, { method: "DELETE" });
        toast("Hold released.");
        refresh(section, holds, ctx);
      } catch (err) { toast(errorText(err)); }
    });
    return row(HOLDS, [h.name, unitName.get(h.unit) || "any", userName.get(h.person) || "anyone",
      when(h.created_from) || "–", when(h.created_until) || "–", release]);
  });
  section.append(rows.length ? table("holds", "Legal holds in force", HOLDS, rows)
    : el("p", { className: "muted", id: "no-holds", textContent: "No legal hold is in force." }));
  const form = el("form", { id: "hold-form", className: "grid-form" });
  const unit = el("select", { name: "unit", id: "hold-unit" }, el("option", { value: "", textContent: "any unit" }),
    ...units.results.map((u) => el("option", { value: u.id, textContent: u.name })));
  const person = el("select", { name: "person", id: "hold-person" }, el("option", { value: "", textContent: "anyone" }),
    ...users.results.map((u) => el("option", { value: u.id, textContent: u.username })));
  const error = el("p", { className: "error", role: "alert" });
  form.append(
    el("label", { htmlFor: "hold-name", textContent: "Matter reference (no patient names)" }),
    el("input", { id: "hold-name", name: "name", required: true, maxLength: 120 }),
    el("label", { htmlFor: "hold-unit", textContent: "Unit" }), unit,
    el("label", { htmlFor: "hold-person", textContent: "Person" }), person,
    el("label", { htmlFor: "hold-from", textContent: "Created from" }), el("input", { id: "hold-from", name: "from", type: "date" }),
    el("label", { htmlFor: "hold-until", textContent: "Created until" }), el("input", { id: "hold-until", name: "until", type: "date" }),
    error, el("button", { type: "submit", textContent: "Place hold" }),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { name: form.name.value.trim() };
    if (unit.value) body.unit = Number(unit.value);
    if (person.value) body.person = Number(person.value);
    if (form.from.value) body.created_from = `${form.from.value}T00:00:00Z`;
    if (form.until.value) body.created_until = `${form.until.value}T00:00:00Z`;
    try {
      await api("/api/legal-holds/", { method: "POST", body });
      toast("Legal hold placed.");
      refresh(section, holds, ctx);
    } catch (err) {
      error.textContent = errorText(err);
    }
  });
  section.append(form);
}

async function runs(section, { api }) {
  const list = await api("/api/retention/runs/");
  if (!list.results.length) {
    section.append(el("p", { className: "muted", textContent: "No purge has run yet." }));
    return;
  }
  section.append(table("runs", "What each purge deleted (counts only)", RUNS,
    list.results.map((r) => row(RUNS, [when(r.started_at), r.trigger, counts(r.deleted) || "nothing", counts(r.held) || "–"]))));
}

async function devices(section, { api }) {
  const list = await api("/api/devices/?page_size=200");
  // Those still holding items first (a tablet that must sync before it is wiped or handed over),
  // then the most recently seen.
  const seen = (d) => (d.last_seen_at ? Date.parse(d.last_seen_at) : 0);
  const sorted = [...list.results].sort((a, b) => (b.unsynced > 0) - (a.unsynced > 0) || seen(b) - seen(a));
  const holding = sorted.filter((d) => d.unsynced > 0).length;
  const total = list.count ?? sorted.length;
  section.append(el("p", {
    id: "devices-summary",
    className: holding ? "outcome-pending" : "muted",
    textContent: holding
      ? `${holding} of ${total} ${total === 1 ? "device" : "devices"} ${holding === 1 ? "holds" : "hold"} unsynced items: listed first.`
      : `No device holds unsynced items (${total} seen).`,
  }));
  if (!sorted.length) return;
  const rows = sorted.map((d) => {
    const tr = row(DEVICES, [d.device_id, d.username, String(d.unsynced), when(d.last_seen_at), d.user_agent]);
    if (d.unsynced > 0) tr.className = "warn";
    return tr;
  });
  section.append(table("devices", "Devices, with how many items each still holds unsynced", DEVICES, rows));
}

async function refresh(section, fill, ctx) {
  const heading = section.querySelector("h2");
  section.replaceChildren(heading);
  try { await fill(section, ctx); } catch (err) {
    section.append(el("p", { className: "error", textContent: errorText(err) }));
  }
}

export async function render(main, ctx) {
  main.append(el("h1", { textContent: "Data and devices" }));
  const parts = [
    ["Retention", retention], ["Legal holds", holds], ["Purges", runs],
    ["Devices and unsynced items", devices],
  ];
  for (const [title, fill] of parts) {
    const id = title.toLowerCase().replace(/\W+/g, "-");
    const section = el("section", { className: "card", id: `lc-${id}` }, el("h2", { textContent: title }));
    main.append(section);
    await refresh(section, fill, ctx);
  }
}
