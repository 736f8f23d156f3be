// "You said, we did": per unit, what was shipped or declined from its feedback and why, with the
// printable poster for the huddle board.
import { h } from "../dom.js";

const STATUS = { shipped: "Done", declined: "Not doing" };

function unitFromPath() {
  const m = location.pathname.match(/^\/units\/(\d+)/);
  return m ? m[1] : "";
}

function counts(c) {
  const parts = [[c.observations, "observation"], [c.ratings, "rating"], [c.comments, "comment"]]
    .filter(([n]) => n).map(([n, w]) => `${n} ${w}${n === 1 ? "" : "s"}`);
  return parts.length ? `From this unit: ${parts.join(", ")}` : "";
}

function itemLi(item) {
  const when = new Date(item.resolved_at).toLocaleDateString();
  return h("li", { class: `loop-item ${item.status}`, id: `loop-${item.id}` },
    h("span", { class: `item-status item-status-${item.status}` }, STATUS[item.status] || item.status),
    h("h3", {}, item.title),
    h("p", {}, item.resolution_note),
    h("p", { class: "muted" }, [counts(item.evidence_counts), when].filter(Boolean).join(" · ")));
}

async function drawUnit(box, api, unitId) {
  box.replaceChildren(h("p", { class: "muted" }, "Loading…"));
  let page;
  try {
    page = await api(`/api/units/${encodeURIComponent(unitId)}/you-said-we-did/`);
  } catch (err) {
    box.replaceChildren(h("p", { class: "error", role: "alert" }, `Could not load this unit: ${err.message}`));
    return;
  }
  const where = page.unit.site ? `${page.unit.name} · ${page.unit.site}` : page.unit.name;
  box.replaceChildren(
    h("h2", { id: "loop-unit" }, where),
    h("p", {}, h("a", { class: "button", id: "poster-link", href: `/api/units/${page.unit.id}/you-said-we-did.pdf`,
      target: "_blank", rel: "noopener" }, "Printable poster (PDF)")),
    page.items.length
      ? h("ol", { class: "loop-list", id: "loop-items" }, ...page.items.map(itemLi))
      : h("p", { class: "muted", id: "loop-empty" }, "Nothing shipped or declined from this unit's feedback yet."));
}

export async function render(main, { api, navigate }) {
  const box = h("section", { class: "card", id: "loop-page", "aria-live": "polite" });
  let units = [];
  try {
    const page = await api("/api/units/?page_size=200");
    units = page.results || page;
  } catch (err) { /* shown below */ }
  const chosen = unitFromPath() || (units[0] && String(units[0].id)) || "";
  const picker = h("select", { id: "loop-unit-picker", onchange: (e) => navigate(`/units/${e.target.value}/you-said-we-did`) },
    ...units.map((u) => h("option", { value: String(u.id), selected: String(u.id) === chosen }, u.site ? `${u.name} (${u.site})` : u.name)));
  main.replaceChildren(
    h("h1", {}, "You said, we did"),
    h("p", { class: "muted" }, "What was done about your unit's feedback, and why some of it was not."),
    h("div", { class: "field" }, h("label", { for: "loop-unit-picker" }, "Unit"), picker),
    box);
  if (chosen) await drawUnit(box, api, chosen);
  else box.replaceChildren(h("p", { class: "muted" }, "No units yet."));
}
