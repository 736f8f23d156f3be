// Home: the areas open to this user (from the router, which reads /api/me/'s permissions), and
// their latest notifications (live over ws/notifications/).
import { fill, h, mountable, View } from "../dom.js";
import { LiveSocket, wsUrl } from "../socket.js";

function notificationItem(n) {
  return h("li", { class: n.read_at ? "muted" : "" }, `${n.title}${n.body ? ` — ${n.body}` : ""}`);
}

class Home extends View {
  async mount() {
    const { state, areas = [] } = this.ctx;
    const tiles = areas.filter((a) => a.id !== "home" && a.nav !== false && a.blurb)
      .map((a) => h("a", { class: "tile", href: a.path, "data-link": true }, h("strong", {}, a.label), a.blurb));
    const list = h("ul", { id: "notifications" });
    this.main.append(
      h("h1", {}, "Hello, ", h("span", { id: "hello-name" }, state.me.display_name || state.me.username)),
      h("div", { class: "tiles" }, tiles.length ? tiles : h("p", { class: "muted" }, "No areas are open to your roles yet.")),
      h("section", { class: "card", "aria-labelledby": "notif-h" }, h("h2", { id: "notif-h" }, "Notifications"), list),
    );
    if (!state.online) {
      this.main.querySelector("h1").after(h("p", { class: "offline-note", id: "home-offline", role: "status" },
        state.net === "offline" ? "You are offline. " : "The Rounds server is not answering. ",
        "Capture still works: what you log waits on this device and syncs by itself. "
        + "The other areas open when the server answers again."));
      fill(list, h("li", { class: "muted" }, "Notifications load when the server answers again."));
      return;
    }
    await this.load(list);
    if (this.alive) this.connect(list);
  }

  async load(list) {
    try {
      const page = await this.ctx.api("/api/notifications/", { signal: this.signal });
      if (!this.alive) return;
      fill(list, page.results.length ? page.results.map(notificationItem) : h("li", { class: "muted" }, "Nothing yet."));
    } catch (err) {
      if (this.alive) fill(list, h("li", { class: "error" }, err.message));
    }
  }

  // ws/notifications/ through the app's one reconnecting socket; after a reconnect the list is
  // read again, so nothing sent while it was down is missed.
  connect(list) {
    const socket = new LiveSocket(wsUrl("/ws/notifications/"), {
      onReady: (frame, n) => { if (n > 1) this.load(list); },
      onFrame: (msg) => {
        if (msg.type !== "notification" || !this.alive) return;
        list.prepend(notificationItem(msg));
        document.dispatchEvent(new CustomEvent("rounds:notification", { detail: msg }));
      },
    }).open();
    this.onUnmount(() => socket.close("Left Home."));
  }
}

export const { render, unmount } = mountable(Home);
