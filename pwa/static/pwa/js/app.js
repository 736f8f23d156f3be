// App shell: who is signed in (remembered for offline starts), role-aware navigation, routing.
import { api, ApiError, ensureCsrf } from "./api.js";
import { AREAS, areaFor, areasFor, navAreas } from "./areas.js";
import { confirmDialog, h, plural } from "./dom.js";
import * as net from "./net.js";
import * as tablet from "./tablet.js";

const ME_KEY = "rounds.me";
export const state = { me: null, online: navigator.onLine, net: net.net.state };

/** Shows a message for 4 s; returns a function that hides it sooner, if it is still showing
 *  (a "Saving…" note that the page's own status line has since answered). */
export function toast(message) {
  const el = document.getElementById("toast");
  el.textContent = message;
  el.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { el.hidden = true; }, 4000);
  return () => { if (!el.hidden && el.textContent === message) { clearTimeout(toast.timer); el.hidden = true; } };
}

function setNet() {
  const el = document.getElementById("net");
  const was = state.net;
  state.net = net.net.state;
  state.online = state.net === "online";
  el.textContent = net.PILL[state.net];
  el.dataset.state = state.net;
  el.classList.toggle("offline", !state.online);
  if (was !== state.net) netChanged();
}

// The area shown now: one that needs the server says so when the connection goes, and opens
// by itself when the server answers again.
let shownArea = null;

async function netChanged() {
  const main = document.getElementById("main");
  const offlinePage = main.querySelector("#offline-page");
  main.querySelector("#net-note")?.remove();
  if (shownArea && shownArea.id === "home") { route(); return; } // it says what works, or not
  if (state.online) {
    if (offlinePage) route();
    return;
  }
  if (!shownArea || shownArea.offline || offlinePage) {
    if (offlinePage) route(); // "offline" and "unreachable" word it differently
    return;
  }
  const { offlineSentence } = await import("./views/offline.js");
  main.prepend(h("p", { class: "offline-note", id: "net-note", role: "status" },
    offlineSentence(state.net, "This page shows what was loaded and saves nothing until"),
    " Capture still works."));
}

async function loadMe() {
  // An anonymous visitor: the server's shell says no session, and this device remembers no one
  // (offline, or with the server down, the cached shell may say anything; then it changes nothing,
  // since asking would find no one either). Asking anyway logs the 401 in the console.
  if (document.body.dataset.signedIn === "0" && !localStorage.getItem(ME_KEY)) {
    state.me = null;
    return;
  }
  try {
    state.me = await api("/api/me/");
    state.meLive = true;
    localStorage.setItem(ME_KEY, JSON.stringify(state.me));
  } catch (err) {
    if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
      state.me = null;
      localStorage.removeItem(ME_KEY);
    } else {
      // Offline: trust the last known user so the shell and the offline queue keep working.
      const cached = localStorage.getItem(ME_KEY);
      state.me = cached ? JSON.parse(cached) : null;
    }
  }
}

// The capture queue syncs on app start and after sign-in; sign-out hides the old user's count.
function startSync() {
  import("./sync.js").then((m) => m.start(state)).catch(() => {});
}

// Says which edges of the sideways-scrolling nav hide areas (app.css fades those edges), and
// keeps the current area in view.
function markNavOverflow() {
  const nav = document.getElementById("nav");
  const more = [];
  if (nav.scrollLeft > 1) more.push("left");
  if (nav.scrollLeft + nav.clientWidth < nav.scrollWidth - 1) more.push("right");
  if (more.length) nav.dataset.more = more.join(" ");
  else delete nav.dataset.more;
}
function showCurrentInNav() {
  const nav = document.getElementById("nav");
  const link = nav.querySelector('a[aria-current="page"]');
  if (link) {
    const box = nav.getBoundingClientRect();
    const at = link.getBoundingClientRect();
    if (at.right > box.right) nav.scrollLeft += at.right - box.right + 48;
    else if (at.left < box.left) nav.scrollLeft -= box.left - at.left + 48;
  }
  markNavOverflow();
}
document.getElementById("nav")?.addEventListener("scroll", markNavOverflow, { passive: true });
window.addEventListener("resize", markNavOverflow);

// The top bar's height varies with the areas shown (its nav wraps): sticky panels sit under it.
const topbar = document.querySelector(".topbar");
if (topbar && "ResizeObserver" in window) {
  new ResizeObserver(() => {
    document.documentElement.style.setProperty("--bar-h", `${topbar.offsetHeight}px`);
  }).observe(topbar);
}

function renderNav() {
  startSync();
  const nav = document.getElementById("nav");
  const who = document.getElementById("who");
  nav.replaceChildren();
  who.replaceChildren();
  if (!state.me) return;
  for (const area of navAreas(state.me)) {
    nav.append(h("a", { href: area.path, "data-link": true, dataset: { area: area.id } }, area.label));
  }
  who.append(
    h("span", { class: "who-name" }, state.me.display_name || state.me.username),
    h("button", { class: "secondary", id: "logout", onclick: askLogout }, "Sign out"),
  );
}

const LOGOUT_PENDING = "rounds.logoutPending";

// Signed out offline, the server session lives on: end it before anything else next time.
async function serverLogout() {
  try {
    await api("/api/auth/logout/", { method: "POST" });
    localStorage.removeItem(LOGOUT_PENDING);
  } catch (err) {
    localStorage.setItem(LOGOUT_PENDING, "1");
  }
}

// Unsynced items stay encrypted on this device until their owner signs in again: say so first.
async function askLogout() {
  const sync = await import("./sync.js");
  const { persistent } = await import("./queue.js");
  const n = await sync.refreshBadges().catch(() => 0);
  if (n > 0) {
    const it = n === 1 ? "It" : "They";
    const ok = await confirmDialog({
      id: "logout-confirm",
      title: `${plural(n, "item")} not synced yet`,
      body: persistent
        ? `${n === 1 ? "It stays" : "They stay"} locked on this device and ${n === 1 ? "syncs" : "sync"} `
          + "the next time you sign in here. Sign out anyway?"
        : `${it} wait in this page only (plain HTTP): closing it loses ${n === 1 ? "it" : "them"}. `
          + "Sync first, or sign out anyway?",
      confirm: "Sign out anyway",
      cancel: "Stay signed in",
    });
    if (!ok) return;
  }
  await logout();
}

async function logout() {
  await tablet.signingOut(state); // lock the encrypted queue before the session goes
  await serverLogout();
  localStorage.removeItem(ME_KEY);
  state.me = null;
  navigate("/login");
}

async function idleLogout() {
  await logout();
  toast("Signed out after a while without use. Sign in again to continue.");
}

// The mounted view: unmounted (listeners, timers, sockets dropped) before the next one renders.
let current = null;
let routing = 0;

function leaveCurrent() {
  if (!current) return;
  current.abort.abort();
  try { current.mod.unmount?.(); } catch (err) { console.warn("unmount failed:", err); }
  current = null;
}

async function show(main, mod, extra = {}) {
  const turn = ++routing;
  leaveCurrent();
  const abort = new AbortController();
  current = { mod, abort };
  main.replaceChildren();
  const areas = state.me ? navAreas(state.me) : [];
  await mod.render(main, { state, navigate, toast, api, areas, signal: abort.signal, ...extra });
  return turn === routing;
}

// Where to go after signing in: ?next= (a QR link followed while signed out), else this page.
function nextPath() {
  const next = new URLSearchParams(location.search).get("next") || "";
  if (next.startsWith("/") && !next.startsWith("//")) return next;
  return location.pathname === "/login" ? "/" : location.pathname + location.search;
}

export async function route() {
  const main = document.getElementById("main");
  const path = location.pathname;
  shownArea = null;
  if (!state.me && /^\/join\/[^/]+\/?$/.test(path)) {
    // A QR link opened by someone without an account: join as a guest if the session allows it.
    renderNav();
    return show(main, await import("./views/join.js"));
  }
  if (!state.me) {
    renderNav();
    return show(main, await import("./views/login.js"), { onLogin: afterLogin });
  }
  const area = areaFor(path, areasFor(state.me));
  const closed = !area && areaFor(path, AREAS.filter((a) => a.path !== "/"));
  const shown = area || AREAS[0];
  document.querySelectorAll("#nav a").forEach((a) => {
    if (!closed && a.dataset.area === shown.id) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  });
  showCurrentInNav();
  shownArea = closed ? null : shown;
  if (!closed && !shown.offline && state.net !== "online") {
    await show(main, await import("./views/offline.js"), { area: shown });
    return;
  }
  // A page of an area this user's roles do not open says so, instead of quietly showing Home.
  const mod = closed ? notAllowed(closed) : await shown.load();
  if (await show(main, mod)) main.focus({ preventScroll: true });
}

function notAllowed(area) {
  return {
    render(main) {
      main.append(
        h("h1", { id: "not-allowed" }, `${area.label} is not open to you`),
        h("p", {}, "Your roles do not include this area. If you need it, ask an admin to give you the role."),
        h("p", {}, h("a", { href: "/", "data-link": true }, "Back to Home")));
    },
  };
}

export function navigate(path) {
  const moved = location.pathname + location.search !== path;
  if (moved) history.pushState({}, "", path);
  // A new page opens at its top, not at the last page's scroll position (its heading under the bar).
  route().then(() => { if (moved) window.scrollTo(0, 0); });
}

async function afterLogin(me) {
  localStorage.removeItem(LOGOUT_PENDING); // signing in replaced whatever session was left
  state.me = me;
  localStorage.setItem(ME_KEY, JSON.stringify(me));
  await tablet.signedIn(state, idleLogout).catch((err) => toast(`Offline queue locked: ${err.message}`));
  renderNav();
  navigate(nextPath());
}

document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-link]");
  if (!link || link.origin !== location.origin || event.ctrlKey || event.metaKey) return;
  event.preventDefault();
  navigate(link.pathname + link.search);
});
window.addEventListener("popstate", route);
window.addEventListener("rounds:net", setNet);

async function start() {
  setNet();
  net.start().then(setNet);
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
  }
  if (navigator.onLine) await ensureCsrf().catch(() => {});
  if (localStorage.getItem(LOGOUT_PENDING) && navigator.onLine) await serverLogout();
  if (!localStorage.getItem(LOGOUT_PENDING)) await loadMe();
  if (state.me && !(await tablet.started(state, idleLogout, Boolean(state.meLive)))) {
    // Idle too long (or the session ended): this tablet forgets who was signed in.
    await serverLogout();
    localStorage.removeItem(ME_KEY);
    state.me = null;
  }
  renderNav();
  await route();
  document.body.dataset.ready = "1";
  window.dispatchEvent(new CustomEvent("rounds:ready"));
}

start();
