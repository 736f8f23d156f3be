// The app's areas: the navigation shows the areas whose permission the signed-in user holds, as
// listed by /api/me/'s `permissions` (the names in feedback/roles.py), so no role is spelled here.
// `offline: true` areas open without the server (they say themselves what waits for it); the
// others show what still works instead (views/offline.js) until the server answers again.
export const AREAS = [
  { id: "home", path: "/", label: "Home", perm: null, offline: true, load: () => import("./views/home.js") },
  { id: "capture", path: "/capture", label: "Capture", perm: "capture", offline: true,
    blurb: "Log a pain point in seconds, online or not.", load: () => import("./views/capture.js") },
  { id: "join", path: "/join", label: "Join session", perm: "join", offline: true,
    blurb: "Rate prototype screens in a live session.", load: () => import("./views/join.js") },
  { id: "facilitate", path: "/facilitate", label: "Facilitate", perm: "facilitate",
    blurb: "Run a live co-design session and read its results.", load: () => import("./views/facilitate.js") },
  { id: "results", path: "/sessions", label: "Results", perm: "facilitate", nav: false,
    load: () => import("./views/results.js") },
  { id: "evidence", path: "/evidence", label: "Evidence", perm: "triage",
    blurb: "Turn observations, comments and ratings into backlog items.",
    load: () => import("./views/evidence.js") },
  { id: "backlog", path: "/backlog", label: "Backlog", perm: "triage",
    blurb: "Triage evidence into a prioritized backlog.", load: () => import("./views/backlog.js") },
  { id: "dashboard", path: "/dashboard", label: "Dashboard", perm: "stats_read",
    blurb: "Pain points and ratings over time.", load: () => import("./views/dashboard.js") },
  { id: "loop", path: "/units", label: "You said, we did", perm: "loop_read",
    blurb: "What was done about your unit's feedback.", load: () => import("./views/loop.js") },
  // Admins find AI tools under Admin; product owners keep it in the top bar.
  { id: "tools", path: "/tools", label: "AI tools", perm: "tool_keys", navUnless: "administer",
    blurb: "Tools, their screens, widget keys, model versions and model cards.",
    load: () => import("./views/tools.js") },
  { id: "reference", path: "/reference", label: "Units & workflows", perm: "reference_edit",
    navUnless: "administer", offline: true, // its tabs say it
    blurb: "The care units and clinical workflows observations are filed under.",
    load: () => import("./views/reference.js") },
  { id: "admin", path: "/admin", label: "Admin", perm: "administer", offline: true, // its tabs say it
    blurb: "Users and roles, units, workflows, AI tools, webhooks, the audit log, data and devices.",
    load: () => import("./views/admin.js") },
];

/** The areas `me` may open (from its `permissions`; none but Home when signed out). */
export function areasFor(me) {
  const held = new Set((me && me.permissions) || []);
  return AREAS.filter((a) => a.perm === null || held.has(a.perm));
}

/** The areas `me` sees in the top bar and on Home (routing still opens every allowed one). */
export function navAreas(me) {
  const held = new Set((me && me.permissions) || []);
  return areasFor(me).filter((a) => a.nav !== false && !(a.navUnless && held.has(a.navUnless)));
}

/** The area a path belongs to among `allowed` (longest matching prefix), or null. */
export function areaFor(pathname, allowed) {
  const hits = allowed.filter((a) => a.path === pathname
    || (a.path !== "/" && pathname.startsWith(`${a.path}/`)));
  return hits.sort((x, y) => y.path.length - x.path.length)[0] || null;
}
