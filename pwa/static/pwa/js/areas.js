// The app's areas: the navigation shows only the areas that exist and that the user's roles open.
export const AREAS = [
  { id: "home", path: "/", label: "Home", roles: null, load: () => import("./views/home.js") },
  { id: "capture", path: "/capture", label: "Capture", roles: ["observer"],
    blurb: "Log a pain point in seconds, online or not.", load: () => import("./views/capture.js") },
  { id: "join", path: "/join", label: "Join session", roles: ["clinician", "observer", "product_owner", "admin"],
    blurb: "Rate prototype screens in a live session.", load: () => import("./views/join.js") },
  { id: "facilitate", path: "/facilitate", label: "Facilitate", roles: ["observer", "product_owner", "admin"],
    blurb: "Run a live co-design session.", load: () => import("./views/facilitate.js") },
  { id: "backlog", path: "/backlog", label: "Backlog", roles: ["product_owner", "admin"],
    blurb: "Triage evidence into a prioritized backlog.", load: () => import("./views/backlog.js") },
  { id: "dashboard", path: "/dashboard", label: "Dashboard", roles: ["product_owner", "admin", "observer"],
    blurb: "Pain points and ratings over time.", load: () => import("./views/dashboard.js") },
  { id: "loop", path: "/units", label: "You said, we did", roles: ["clinician", "observer", "product_owner", "admin"],
    blurb: "What was done about your unit's feedback.", load: () => import("./views/loop.js") },
  { id: "tools", path: "/tools", label: "AI tools", roles: ["product_owner", "admin"],
    blurb: "Widget keys, model versions and model cards.", load: () => import("./views/tools.js") },
  { id: "lifecycle", path: "/admin/lifecycle", label: "Data & devices", roles: ["admin"],
    blurb: "Retention, legal holds, devices with unsynced items, a leaver's export and erasure.",
    load: () => import("./views/lifecycle.js") },
];

export function areasFor(roles) {
  return AREAS.filter((a) => a.roles === null || a.roles.some((r) => roles.includes(r)));
}
