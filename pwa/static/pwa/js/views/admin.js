// Admin: one area with sub-navigation (Users, Units, Workflows, AI tools, Webhooks, Audit log,
// Data & devices). Each section is its own module rendered under the tabs; the server checks every
// request again (the PWA only hides what /api/me/'s permissions do not open).
import { h } from "../dom.js";
import { problem } from "./admin/kit.js";
import { offlineSentence } from "./offline.js";

export const SECTIONS = [
  { id: "users", label: "Users", load: () => import("./admin/users.js") },
  { id: "units", label: "Units", load: async () => (await import("./admin/reference.js")).units },
  { id: "workflows", label: "Workflows", load: async () => (await import("./admin/reference.js")).workflows },
  { id: "tools", label: "AI tools", load: () => import("./tools.js") },
  { id: "webhooks", label: "Webhooks", load: () => import("./admin/webhooks.js") },
  { id: "audit", label: "Audit log", load: () => import("./admin/audit.js") },
  { id: "lifecycle", label: "Data & devices", load: () => import("./lifecycle.js") },
];

function sectionFromPath() {
  const id = location.pathname.split("/")[2] || "";
  return SECTIONS.find((s) => s.id === id) || SECTIONS[0];
}

function tabs(current) {
  return h("nav", { class: "subnav", id: "admin-nav", "aria-label": "Admin sections" },
    ...SECTIONS.map((s) => h("a", {
      href: `/admin/${s.id}`, "data-link": true, dataset: { tab: s.id },
      "aria-current": s === current ? "page" : null,
    }, s.label)));
}

let mounted = null;

export async function render(main, ctx) {
  const section = sectionFromPath();
  const body = h("div", { id: `admin-${section.id}`, class: "admin-section" });
  main.append(tabs(section), body);
  if (!ctx.state.online) {
    body.append(h("h1", {}, section.label), h("p", { class: "offline-note", id: "admin-offline", role: "status" },
      offlineSentence(ctx.state.net, "The admin area reads and changes data on the server: it opens by itself when"),
      " Capture still works offline."));
    // Reopen this section once the server answers (the router leaves admin pages alone).
    window.addEventListener("rounds:net", () => {
      if (ctx.state.online) ctx.navigate(location.pathname + location.search);
    }, { signal: ctx.signal });
    return;
  }
  try {
    mounted = await section.load();
    if (ctx.signal && ctx.signal.aborted) return;
    await mounted.render(body, ctx);
  } catch (err) {
    if (!(ctx.signal && ctx.signal.aborted)) body.append(problem(err));
  }
}

export function unmount() {
  if (mounted && mounted.unmount) mounted.unmount();
  mounted = null;
}
