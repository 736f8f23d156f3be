// The one reconnecting WebSocket client of the PWA (sessions, backlog, notifications, flags).
// - Reconnects by itself: back-off from ~0.5 s with jitter, capped near 10 s; at once when the
//   browser comes back online or the page back into view.
// - Heartbeat: a `ping` every 15 s; nothing heard for 40 s means a half-open connection, which
//   is dropped and reopened (the server's `state`/`hello` then resumes it).
// - A page queue: `queue(frame)` keeps a frame (keyed by its client_id) until the server acks it
//   or refuses it; unsent or unacked frames go again after every reconnect, and a `rate_limited`
//   refusal sends it again a moment later. Each frame's onAck runs once, however often it went.
// - `error` frames with code `degraded` (the server's live layer is down, writes still stored)
//   show in the status; the next `state` puts it back to Live.

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
export function backoff(attempt, base = 500, cap = 10000) {
  const ceiling = Math.min(cap, base * 2 ** attempt);
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

const READY = new Set(["state", "hello"]); // the server's first frame: this socket is in sync

export class LiveSocket {
  /**
   * url: ws(s) URL. onFrame(frame, socket): every parsed server frame. onStatus({state, text}):
   * state is one of connecting | live | degraded | reconnecting | closed. onReady(frame, n): the
   * server's state/hello frame, n = how many times this socket got one (1 = first connect).
   */
  constructor(url, { onFrame = () => {}, onStatus = () => {}, onReady = () => {}, base = 500,
    cap = 10000, heartbeat = 15000 } = {}) {
    Object.assign(this, { url, onFrame, onStatus, onReady, base, cap, heartbeat });
    this.attempt = 0;
    this.connects = 0;
    this.stopped = false;
    this.ws = null;
    this.ready = false;
    this.timer = null;
    this.beat = null;
    this.heard = 0;
    this.pending = new Map(); // client_id -> {frame, onAck, onFail, sent}
    this.acked = new Set(); // client_ids already acked: a late duplicate ack is ignored
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
    this.ready = false;
    this.status("connecting", this.connects ? "Reconnecting…" : "Connecting…");
    const ws = new WebSocket(this.url);
    this.ws = ws;
    this.heard = Date.now();
    ws.addEventListener("message", (event) => { if (ws === this.ws) this.receive(event); });
    ws.addEventListener("close", (event) => this.closed(ws, event));
    clearInterval(this.beat);
    this.beat = setInterval(() => this.heartbeatTick(), Math.max(250, this.heartbeat / 3));
  }

  heartbeatTick() {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return;
    const quiet = Date.now() - this.heard;
    if (quiet > this.heartbeat * 2.7) { this.drop(); return; } // half-open: nobody answers
    if (quiet >= this.heartbeat) this.send({ type: "ping" });
  }

  receive(event) {
    this.heard = Date.now();
    let frame;
    try { frame = JSON.parse(event.data); } catch (err) { return; }
    if (READY.has(frame.type)) {
      // The server (re)sent the whole state: we are in sync, so reset the back-off and send
      // whatever the page queued meanwhile.
      this.attempt = 0;
      this.connects += 1;
      this.ready = true;
      this.status("live", "Live");
      this.onReady(frame, this.connects);
      this.onFrame(frame, this);
      this.flush();
      return;
    }
    if (frame.type === "ack" && frame.client_id != null) this.acknowledge(frame);
    else if (frame.type === "error") this.refused(frame);
    if (frame.type !== "pong") this.onFrame(frame, this);
    if (frame.type === "ended") this.close("The session has ended.");
  }

  acknowledge(frame) {
    const item = this.pending.get(frame.client_id);
    this.pending.delete(frame.client_id);
    if (!item || this.acked.has(frame.client_id)) return;
    this.acked.add(frame.client_id);
    if (item.onAck) item.onAck(frame, item.frame);
  }

  refused(frame) {
    if (frame.code === "degraded") {
      this.status("degraded", "Live updates paused: what you send is still saved.");
      return;
    }
    const item = frame.client_id != null ? this.pending.get(frame.client_id) : null;
    if (!item) return;
    if (frame.code === "rate_limited" || frame.code === "unavailable") {
      // Not processed: the same frame again in a moment (the server dedupes by client_id).
      setTimeout(() => { if (this.pending.get(frame.client_id) === item) this.send(item.frame); },
        800 + Math.random() * 700);
      return;
    }
    this.pending.delete(frame.client_id);
    if (item.onFail) item.onFail(frame, item.frame);
  }

  /** Keeps `frame` (it needs a client_id) until acked or refused; sends it when live. */
  queue(frame, { onAck = null, onFail = null } = {}) {
    if (frame.client_id == null) throw new Error("queue() needs a frame with a client_id");
    this.pending.set(frame.client_id, { frame, onAck, onFail });
    return this.ready ? this.send(frame) : false;
  }

  /** Whether a frame with this client_id is still waiting for its ack. */
  isPending(clientId) { return this.pending.has(clientId); }

  /** Drops a queued frame (the page showed it as not sent, or the user replaced it). */
  forget(clientId) { this.pending.delete(clientId); }

  flush() {
    for (const item of this.pending.values()) this.send(item.frame);
  }

  closed(ws, event) {
    if (ws !== this.ws || this.stopped) return;
    this.ws = null;
    this.ready = false;
    if (FINAL_CLOSES[event.code]) { this.close(FINAL_CLOSES[event.code]); return; }
    this.later();
  }

  /** Gives up on the current connection (half-open) and reconnects after the back-off. */
  drop() {
    const ws = this.ws;
    this.ws = null;
    this.ready = false;
    if (ws) { try { ws.close(4000); } catch (err) { /* already closing */ } }
    this.later();
  }

  later() {
    const delay = backoff(this.attempt, this.base, this.cap);
    this.attempt += 1;
    this.status("reconnecting", `Connection lost, retrying in ${Math.ceil(delay / 1000)} s…`);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.connect(), delay);
  }

  /** Back online or back in view: skip the rest of the back-off wait. */
  retryNow() {
    if (this.stopped || this.ws || document.visibilityState === "hidden") return;
    if (navigator.onLine) this.connect();
  }

  /** Sends a frame now; false when not connected (use queue() for frames that must arrive). */
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
    clearInterval(this.beat);
    active.delete(this);
    window.removeEventListener("online", this.wake);
    document.removeEventListener("visibilitychange", this.wake);
    const ws = this.ws;
    this.ws = null;
    this.ready = false;
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
