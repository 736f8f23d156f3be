// Home: the areas open to this user, and their latest notifications (live over ws/notifications/).
import { areasFor } from "../areas.js";
import { LiveSocket, wsUrl } from "../socket.js";

let socket = null;

function notificationItem(n) {
  const li = document.createElement("li");
  li.className = n.read_at ? "muted" : "";
  li.textContent = `${n.title}${n.body ? ` — ${n.body}` : ""}`;
  return li;
}

// One notifications socket for the app's lifetime; it draws into the list of the home view
// rendered last.
let shown = null;

function connect(list) {
  shown = list;
  if (socket && !socket.stopped) return;
  socket = new LiveSocket(wsUrl("/ws/notifications/"), {
    onFrame: (msg) => {
      if (msg.type !== "notification") return;
      document.dispatchEvent(new CustomEvent("rounds:notification", { detail: msg }));
      if (!shown || !shown.isConnected) return;
      shown.querySelector("li.muted:only-child")?.remove();
      shown.prepend(notificationItem(msg));
    },
    // After a reconnect, what arrived while the socket was down is read from the API again.
    onReady: (_frame, n) => { if (n > 1 && shown && shown.isConnected) reload(shown); },
  }).open();
}

async function reload(list) {
  try {
    const page = await apiRef("/api/notifications/");
    list.innerHTML = "";
    page.results.forEach((n) => list.appendChild(notificationItem(n)));
  } catch (err) { /* offline again: the next reconnect reloads */ }
}

let apiRef = null;

export async function render(main, { state, api }) {
  apiRef = api;
  const tiles = areasFor(state.me.roles).filter((a) => a.id !== "home")
    .map((a) => `<a class="tile" href="${a.path}" data-link><strong>${a.label}</strong>${a.blurb || ""}</a>`)
    .join("");
  main.innerHTML = `
    <h1>Hello, <span id="hello-name"></span></h1>
    <div class="tiles">${tiles || '<p class="muted">No areas are open to your roles yet.</p>'}</div>
    <section class="card" aria-labelledby="notif-h">
      <h2 id="notif-h">Notifications</h2>
      <ul id="notifications"></ul>
    </section>`;
  main.querySelector("#hello-name").textContent = state.me.display_name || state.me.username;
  const list = main.querySelector("#notifications");
  if (!navigator.onLine) { list.innerHTML = '<li class="muted">Offline: notifications load when you reconnect.</li>'; return; }
  try {
    const page = await api("/api/notifications/");
    page.results.forEach((n) => list.appendChild(notificationItem(n)));
    if (!page.results.length) list.innerHTML = '<li class="muted">Nothing yet.</li>';
  } catch (err) {
    list.innerHTML = `<li class="error">${err.message}</li>`;
  }
  connect(list);
}
