// Home: the areas open to this user, and their latest notifications (live over ws/notifications/).
import { areasFor } from "../areas.js";

let socket = null;

function notificationItem(n) {
  const li = document.createElement("li");
  li.className = n.read_at ? "muted" : "";
  li.textContent = `${n.title}${n.body ? ` — ${n.body}` : ""}`;
  return li;
}

function connect(list) {
  if (socket && socket.readyState <= 1) return;
  const proto = location.protocol === "https:" ? "wss" : "ws";
  socket = new WebSocket(`${proto}://${location.host}/ws/notifications/`);
  socket.addEventListener("message", (event) => {
    const msg = JSON.parse(event.data);
    if (msg.type === "notification") {
      list.prepend(notificationItem(msg));
      document.dispatchEvent(new CustomEvent("rounds:notification", { detail: msg }));
    }
  });
}

export async function render(main, { state, api }) {
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
