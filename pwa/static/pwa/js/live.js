// Live sessions, client side: a reconnecting WebSocket (backoff + jitter, resumes on `state`)
// and the widgets both Join and Facilitate draw (aggregate bars, pins over a screen).
import { h } from "./dom.js";

// Close codes the server uses to refuse a socket: retrying these cannot succeed.
export const FINAL_CLOSES = {
  4401: "Sign in again to join this session.",
  4403: "You are not allowed in this session.",
  4404: "This session is not open (wrong code, or it has ended).",
  1009: "A message was too large; reload the page.",
};

// Every open LiveSocket, so a page (or a test) can find and inspect them.
export const active = new Set();

export function wsUrl(path) {
  const proto = location.protocol === "https:" ? "wss" : "ws";
  return `${proto}://${location.host}${path}`;
}

/** Delay before retry number `attempt` (0-based): capped exponential, "equal jitter". */
export function backoff(attempt, base = 500, cap = 15000) {
  const ceiling = Math.min(cap, base * 2 ** attempt);
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

export class LiveSocket {
  /**
   * url: ws(s) URL. onFrame(frame): every parsed server frame. onStatus({state, text}):
   * state is one of connecting | live | reconnecting | closed.
   */
  constructor(url, { onFrame, onStatus = () => {}, base = 500, cap = 15000 } = {}) {
    Object.assign(this, { url, onFrame, onStatus, base, cap });
    this.attempt = 0;
    this.connects = 0;
    this.stopped = false;
    this.ws = null;
    this.timer = null;
    this.wake = () => this.retryNow();
  }

  open() {
    this.stopped = false;
    active.add(this);
    window.addEventListener("online", this.wake);
    document.addEventListener("visibilitychange", this.wake);
    this.connect();
    return this;
  }

  connect() {
    clearTimeout(this.timer);
    this.timer = null;
    this.status("connecting", this.connects ? "Reconnecting…" : "Connecting…");
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.addEventListener("message", (event) => this.receive(event));
    ws.addEventListener("close", (event) => this.closed(ws, event));
  }

  receive(event) {
    let frame;
    try { frame = JSON.parse(event.data); } catch (err) { return; }
    if (frame.type === "state") {
      // The server re-sent the whole state: we are (back) in sync, so reset the backoff.
      this.attempt = 0;
      this.connects += 1;
      this.status("live", "Live");
    }
    this.onFrame(frame, this);
    if (frame.type === "ended") this.close("The session has ended.");
  }

  closed(ws, event) {
    if (ws !== this.ws || this.stopped) return;
    this.ws = null;
    if (FINAL_CLOSES[event.code]) { this.close(FINAL_CLOSES[event.code]); return; }
    const delay = backoff(this.attempt, this.base, this.cap);
    this.attempt += 1;
    this.status("reconnecting", `Connection lost, retrying in ${Math.ceil(delay / 1000)} s…`);
    this.timer = setTimeout(() => this.connect(), delay);
  }

  /** Back online or back in view: skip the rest of the backoff wait. */
  retryNow() {
    if (this.stopped || this.ws || document.visibilityState === "hidden") return;
    if (navigator.onLine) this.connect();
  }

  /** Sends a frame; false when not connected (the caller keeps it and resends on `state`). */
  send(frame) {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(frame));
    return true;
  }

  get isLive() {
    return Boolean(this.ws && this.ws.readyState === WebSocket.OPEN);
  }

  close(reason = "Disconnected.") {
    this.stopped = true;
    clearTimeout(this.timer);
    active.delete(this);
    window.removeEventListener("online", this.wake);
    document.removeEventListener("visibilitychange", this.wake);
    const ws = this.ws;
    this.ws = null;
    if (ws && ws.readyState <= WebSocket.OPEN) ws.close(1000);
    this.status("closed", reason);
  }

  status(state, text) {
    this.state = state;
    this.onStatus({ state, text });
  }
}

/** A status pill bound to a LiveSocket's onStatus. */
export function statusPill() {
  const el = document.createElement("span");
  el.className = "live-status";
  el.setAttribute("role", "status");
  el.setAttribute("aria-live", "polite");
  el.dataset.state = "connecting";
  el.textContent = "Connecting…";
  const update = ({ state, text }) => { el.dataset.state = state; el.textContent = text; };
  return { el, update };
}

/** Stops sockets of a view when the user navigates elsewhere in the app. */
export function closeOnLeave(socket, prefix) {
  const check = () => {
    if (socket.stopped || !location.pathname.startsWith(prefix)) {
      if (!socket.stopped) socket.close("Left the session.");
      window.removeEventListener("popstate", check);
      document.removeEventListener("click", later, true);
    }
  };
  const later = () => setTimeout(check, 0);
  window.addEventListener("popstate", check);
  document.addEventListener("click", later, true);
}

export function label(dimension) {
  const text = String(dimension).replace(/_/g, " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Counts for scores 1..5 whether the server sends a list or a {score: count} map. */
export function histogram(raw) {
  if (Array.isArray(raw)) return [0, 1, 2, 3, 4].map((i) => Number(raw[i] || 0));
  return [1, 2, 3, 4, 5].map((s) => Number((raw && (raw[s] ?? raw[String(s)])) || 0));
}

/** Fills `box` with one labelled bar per dimension: mean out of 5, plus the 1–5 distribution. */
export function drawAggregate(box, agg, dimensions) {
  box.innerHTML = "";
  const count = (agg && agg.count) || 0;
  box.appendChild(h("p", { class: "agg-count" }, h("strong", { "data-count": true }, String(count)),
    ` rating${count === 1 ? "" : "s"}`));
  const dims = dimensions.length ? dimensions : Object.keys((agg && agg.means) || {});
  for (const dim of dims) box.appendChild(aggregateRow(dim, agg, count));
}

function aggregateRow(dim, agg, count) {
  const mean = agg && agg.means ? agg.means[dim] : null;
  const hist = histogram(agg && agg.histograms ? agg.histograms[dim] : null);
  const row = document.createElement("div");
  row.className = "agg-row";
  row.dataset.dimension = dim;
  const shown = typeof mean === "number" && count ? mean.toFixed(1) : "–";
  const pct = typeof mean === "number" && count ? (mean / 5) * 100 : 0;
  row.append(
    h("div", { class: "agg-label" }, h("span", {}, label(dim)), " ", h("strong", { class: "agg-mean" }, shown)),
    h("div", { class: "agg-bar", role: "img", "aria-label": `${label(dim)}: mean ${shown} of 5` },
      h("span", { style: `width:${pct}%` })),
    h("div", { class: "agg-hist muted" }, hist.map((n, i) => `${i + 1}: ${n}`).join(" · ")),
  );
  return row;
}

/** A pin as {x, y} in 0..1, from {x, y}, [x, y] or a frame carrying pin / pin_x, pin_y. */
export function pinOf(obj) {
  if (!obj) return null;
  const p = obj.pin !== undefined ? obj.pin : obj;
  if (Array.isArray(p) && p.length >= 2) return { x: Number(p[0]), y: Number(p[1]) };
  if (p && typeof p.x === "number" && typeof p.y === "number") return { x: p.x, y: p.y };
  if (typeof obj.pin_x === "number" && typeof obj.pin_y === "number") return { x: obj.pin_x, y: obj.pin_y };
  return null;
}

/** A dot placed over a screen image at fractional (x, y). */
export function pinDot(pin, title = "") {
  const dot = document.createElement("span");
  dot.className = "pin-dot";
  dot.style.left = `${pin.x * 100}%`;
  dot.style.top = `${pin.y * 100}%`;
  if (title) dot.title = title;
  return dot;
}

/** Redraws notes (comments and ratings, keyed) as pins over the screen and a list of texts;
 *  returns how many pins it drew. */
export function drawNotes(notes, pinsBox, listBox) {
  pinsBox.innerHTML = "";
  listBox.innerHTML = "";
  for (const note of notes.values()) {
    const pin = pinOf(note);
    if (pin) pinsBox.appendChild(pinDot(pin, note.text || ""));
    if (!note.text) continue;
    const li = document.createElement("li");
    li.textContent = note.text;
    listBox.appendChild(li);
  }
  return pinsBox.children.length;
}

/** The list in a paginated answer, or the answer itself when it is already a list. */
export function items(page) {
  return Array.isArray(page) ? page : (page && page.results) || [];
}
