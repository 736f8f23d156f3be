// App shell: who is signed in (remembered for offline starts), role-aware navigation, routing.
import { api, ApiError, ensureCsrf } from "./api.js";
import { AREAS, areasFor } from "./areas.js";
import * as tablet from "./tablet.js";

const ME_KEY = "rounds.me";
export const state = { me: null, online: navigator.onLine };

export function toast(message) {
  const el = document.getElementById("toast");
  el.textContent = message;
  el.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { el.hidden = true; }, 4000);
}

function setNet() {
  const el = document.getElementById("net");
  el.textContent = state.online ? "online" : "offline";
  el.classList.toggle("offline", !state.online);
}

async function loadMe() {
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

function renderNav() {
  startSync();
  const nav = document.getElementById("nav");
  const who = document.getElementById("who");
  nav.innerHTML = "";
  if (!state.me) { who.textContent = ""; return; }
  for (const area of areasFor(state.me.roles)) {
    const a = document.createElement("a");
    a.href = area.path;
    a.textContent = area.label;
    a.dataset.link = "";
    a.dataset.area = area.id;
    nav.appendChild(a);
  }
  who.innerHTML = "";
  const name = document.createElement("span");
  name.textContent = state.me.display_name || state.me.username;
  const out = document.createElement("button");
  out.className = "secondary";
  out.textContent = "Sign out";
  out.id = "logout";
  out.addEventListener("click", logout);
  who.append(name, " ", out);
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

function matchArea(pathname) {
  if (!state.me) return null;
  const allowed = areasFor(state.me.roles);
  return allowed.filter((a) => a.path !== "/" && pathname.startsWith(a.path))[0]
    || allowed.find((a) => a.path === pathname) || null;
}

export async function route() {
  const main = document.getElementById("main");
  const path = location.pathname;
  if (!state.me && /^\/join\/[^/]+\/?$/.test(path)) {
    // A QR link opened by someone without an account: join as a guest if the session allows it.
    renderNav();
    const mod = await import("./views/join.js");
    main.innerHTML = "";
    return mod.render(main, { state, navigate, toast, api });
  }
  if (!state.me) {
    const mod = await import("./views/login.js");
    renderNav();
    return mod.render(main, { state, onLogin: afterLogin });
  }
  const area = matchArea(path) || AREAS[0];
  document.querySelectorAll("#nav a").forEach((a) => {
    if (a.dataset.area === area.id) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  });
  const mod = await area.load();
  main.innerHTML = "";
  await mod.render(main, { state, navigate, toast, api });
  main.focus({ preventScroll: true });
}

export function navigate(path) {
  if (location.pathname !== path) history.pushState({}, "", path);
  route();
}

async function afterLogin(me) {
  localStorage.removeItem(LOGOUT_PENDING); // signing in replaced whatever session was left
  state.me = me;
  localStorage.setItem(ME_KEY, JSON.stringify(me));
  await tablet.signedIn(state, idleLogout).catch((err) => toast(`Offline queue locked: ${err.message}`));
  renderNav();
  navigate(location.pathname === "/login" ? "/" : location.pathname);
}

document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-link]");
  if (!link || link.origin !== location.origin || event.ctrlKey || event.metaKey) return;
  event.preventDefault();
  navigate(link.pathname + link.search);
});
window.addEventListener("popstate", route);
window.addEventListener("online", () => { state.online = true; setNet(); });
window.addEventListener("offline", () => { state.online = false; setNet(); });

async function start() {
  setNet();
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
