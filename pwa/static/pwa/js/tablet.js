// Shared tablets: unlock the signed-in user's encrypted queue, lock it at sign-out and after idle
// time, ask the browser to keep the queue (persistent storage), and report unsynced counts
// (/api/devices/heartbeat/) so an admin sees which device still holds unsynced items.
import { api, ApiError } from "./api.js";
import * as queue from "./queue.js";

const ACTIVE_KEY = "rounds.lastActive";
const IDLE_KEY = "rounds.idleSeconds";
const DEVICE_KEY = "rounds.device";
const HEARTBEAT_MS = 5 * 60 * 1000;
let watcher = null;
let beatTimer = null;
let onIdle = () => {};

function idleSeconds() {
  return Number(localStorage.getItem(IDLE_KEY)) || 900;
}

function touch() {
  localStorage.setItem(ACTIVE_KEY, String(Date.now()));
}

function idleTooLong() {
  const last = Number(localStorage.getItem(ACTIVE_KEY)) || 0;
  return Date.now() - last > idleSeconds() * 1000;
}

/** Fetch this user's wrapping key from the server and unlock their queue. */
async function unlockFromServer(me) {
  const answer = await api("/api/me/queue-key/");
  localStorage.setItem(IDLE_KEY, String(answer.idle_seconds));
  await queue.unlock(me.id, answer.key);
}

/** Right after a sign-in (password or SSO). */
export async function signedIn(state, idleHandler) {
  touch();
  await unlockFromServer(state.me);
  watch(state, idleHandler);
  askPersistence();
}

/** At app start with a user the server confirmed (`live`) or remembered from before (offline):
 *  a remembered one who has been idle too long is signed out here and their queue locked. */
export async function started(state, idleHandler, live) {
  if (!live && idleTooLong()) {
    await queue.lock(state.me.id).catch(() => {});
    return false;
  }
  touch();
  try {
    if (navigator.onLine) await unlockFromServer(state.me);
    else await queue.resume(state.me.id);
  } catch (err) {
    if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
      await queue.lock(state.me.id).catch(() => {});
      return false;
    }
    await queue.resume(state.me.id).catch(() => {}); // offline-ish: the kept key, if any
  }
  watch(state, idleHandler);
  askPersistence();
  return true;
}

/** Before the session ends: forget the keys; the queue stays, as ciphertext, for its owner. */
export async function signingOut(state) {
  stopWatching();
  if (state.me) {
    await heartbeat(state).catch(() => {});
    await queue.lock(state.me.id).catch(() => {});
  }
  localStorage.removeItem(ACTIVE_KEY);
}

function watch(state, idleHandler) {
  onIdle = idleHandler || onIdle;
  stopWatching();
  const activity = () => touch();
  for (const type of ["pointerdown", "keydown", "touchstart"]) {
    window.addEventListener(type, activity, { passive: true });
  }
  watcher = setInterval(() => { if (idleTooLong()) onIdle(); }, 5000);
  heartbeatSoon(state);
  window.addEventListener("rounds:queue", beatOnChange);
  window.addEventListener("rounds:synced", beatOnChange);
  beatTimer = setInterval(() => heartbeat(state).catch(() => {}), HEARTBEAT_MS);
  watch.state = state;
}

function stopWatching() {
  clearInterval(watcher);
  clearInterval(beatTimer);
  window.removeEventListener("rounds:queue", beatOnChange);
  window.removeEventListener("rounds:synced", beatOnChange);
}

let beatDebounce = null;
function beatOnChange() {
  clearTimeout(beatDebounce);
  beatDebounce = setTimeout(() => heartbeat(watch.state).catch(() => {}), 1500);
}

function heartbeatSoon(state) {
  setTimeout(() => heartbeat(state).catch(() => {}), 500);
}

export function deviceId() {
  let id = localStorage.getItem(DEVICE_KEY);
  if (!id) {
    id = queue.uuid();
    localStorage.setItem(DEVICE_KEY, id);
  }
  return id;
}

/** Tell the server how many items this user's queue on this device holds (a count only). */
export async function heartbeat(state) {
  if (!state || !state.me || !navigator.onLine) return;
  const unsynced = await queue.count(state.me.id);
  await api("/api/devices/heartbeat/", { method: "POST", body: { device_id: deviceId(), unsynced } });
}

/** Ask the browser not to evict the queue under storage pressure; say so when it refuses. */
export async function askPersistence() {
  let granted = false;
  if (navigator.storage && navigator.storage.persist) {
    granted = (await navigator.storage.persisted()) || (await navigator.storage.persist().catch(() => false));
  }
  let note = document.getElementById("storage-note");
  if (!note) {
    note = document.createElement("span");
    note.id = "storage-note";
    note.className = "pill warn";
    note.setAttribute("role", "status");
    document.querySelector(".topbar .status")?.prepend(note);
  }
  // The warning matters only while items wait (refreshBadges shows and hides it as the count moves).
  note.dataset.refused = granted ? "" : "1";
  note.hidden = granted || !(Number(document.getElementById("unsynced")?.dataset.count) > 0);
  note.textContent = granted ? "" : "Sync before closing";
  note.title = granted ? "" : "The browser refused persistent storage, so it may clear unsynced items "
    + "when space runs low. Sync often, or install Rounds to the home screen.";
  return granted;
}
