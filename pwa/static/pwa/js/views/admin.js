// Admin: one area with sub-navigation (Users, Units, Workflows, AI tools, Webhooks, Audit log,
// Data & devices). The server checks every request again (the PWA only hides what /api/me/'s
// permissions do not open).
import { tabbedArea, UNITS, WORKFLOWS } from "./admin/tabs.js";

export const SECTIONS = [
  { id: "users", label: "Users", load: () => import("./admin/users.js") },
  UNITS,
  WORKFLOWS,
  { id: "tools", label: "AI tools", load: () => import("./tools.js") },
  { id: "webhooks", label: "Webhooks", load: () => import("./admin/webhooks.js") },
  { id: "audit", label: "Audit log", load: () => import("./admin/audit.js") },
  { id: "lifecycle", label: "Data & devices", load: () => import("./lifecycle.js") },
];

export const { render, unmount } = tabbedArea({
  base: "/admin", prefix: "admin", label: "Admin sections", what: "The admin area", sections: SECTIONS,
});
