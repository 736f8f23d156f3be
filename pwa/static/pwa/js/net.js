// Whether the Rounds server answers, not only whether the device has a network: a reachability
// probe (any HTTP answer from the server counts) on start, on the browser's online event, when a
// request fails for want of a connection, and, while unreachable, again with capped back-off.
// Listeners get `rounds:net` with {state: "online" | "offline" | "unreachable", was}.
const PROBE = "/api/auth/csrf/";
export const net = { state: navigator.onLine ? "online" : "offline", attempt: 0 };
let timer = null;
let inflight = null;

/** Delay before probe number `attempt`: capped exponential with jitter (1 s, 2 s, 4 s … 15 s). */
export function backoff(attempt, base = 1000, cap = 15000) {
  const ceiling = Math.min(cap, base * 2 ** attempt);
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

function set(state) {
  const was = net.state;
  net.state = state;
  clearTimeout(timer);
  timer = null;
  if (state === "unreachable") {
    timer = setTimeout(probe, backoff(net.attempt));
    net.attempt += 1;
  } else {
    net.attempt = 0;
  }
  if (was !== state) window.dispatchEvent(new CustomEvent("rounds:net", { detail: { state, was } }));
}

/** Asks the server once; resolves to the new state. */
export function probe() {
  if (!navigator.onLine) { set("offline"); return Promise.resolve(net.state); }
  if (!inflight) {
    inflight = fetch(PROBE, { cache: "no-store", credentials: "same-origin" })
      // A gateway's 502/503/504 means the network is up but Rounds is not answering.
      .then((res) => set([502, 503, 504].includes(res.status) ? "unreachable" : "online"))
      .catch(() => set("unreachable"))
      .then(() => net.state)
      .finally(() => { inflight = null; });
  }
  return inflight;
}

/** A request failed without an answer: find out whether the server is gone. */
export function reportUnreachable() {
  if (net.state !== "unreachable" || !timer) probe();
}

export const isReachable = () => net.state === "online";

let started = false;
export function start() {
  if (started) return probe();
  started = true;
  window.addEventListener("online", () => probe());
  window.addEventListener("offline", () => set("offline"));
  window.addEventListener("rounds:unreachable", () => reportUnreachable());
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && net.state !== "online") probe();
  });
  return probe();
}

/** What the top bar's pill says for each state. */
export const PILL = { online: "online", offline: "offline", unreachable: "server unreachable" };
