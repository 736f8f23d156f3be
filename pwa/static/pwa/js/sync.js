// Sends the signed-in user's queue to the server: one /sync/ batch, then each photo. Triggered on
// app start, on reconnect, by the "Sync now" button and by Background Sync (via the service worker).
import { api, ApiError, ensureCsrf } from "./api.js";
import { backoff, isReachable, net } from "./net.js";
import * as queue from "./queue.js";

const BATCH = 500; // the server's limit per /sync/ request
let appState = null;
let running = null;
let retryTimer = null;
let retryAttempt = 0;

/** Wire the triggers once; safe to call again after another user signs in. */
export function start(state) {
  if (!appState) {
    appState = state;
    // The server answers again (probe in net.js): sync at once, no tap needed.
    window.addEventListener("rounds:net", (e) => { if (e.detail.state === "online") syncSoon(); });
    window.addEventListener("rounds:queue", () => refreshBadges());
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.addEventListener("message", (event) => {
        if (event.data && event.data.type === "sync") answerBackgroundSync(event.ports[0]);
      });
    }
  }
  refreshBadges();
  syncSoon();
}

function userId() {
  return appState && appState.me ? appState.me.id : null;
}

// Stop between requests once the queue's owner signs out: the next person's session cookie must
// never carry the previous person's observations.
function stillSignedIn(uid) {
  return userId() === uid;
}

function syncSoon() {
  if (userId() !== null && isReachable()) syncNow().catch(() => {});
}

/** Background Sync asked (sw.js): flush, and report whether everything got an answer, so the
 *  service worker's sync event fails and the browser retries later when it did not. */
async function answerBackgroundSync(port) {
  let ok = false;
  try {
    const summary = userId() === null ? null : await syncNow();
    ok = Boolean(summary) && summary.failed === 0 && !summary.retry;
  } catch (err) { ok = false; }
  if (port) port.postMessage({ type: "synced", ok });
}

// Items left waiting although the server was reached (a 5xx, a photo not sent): try again with
// back-off while the page is open; an unreachable server is the probe's job.
function scheduleRetry(summary) {
  clearTimeout(retryTimer);
  retryTimer = null;
  if (!summary || (!summary.failed && !summary.retry)) { retryAttempt = 0; return; }
  if (net.state !== "online") return;
  retryTimer = setTimeout(syncSoon, backoff(retryAttempt));
  retryAttempt += 1;
}

/** Ask the browser to wake us when the network is back (Chromium's Background Sync). */
export async function requestBackgroundSync() {
  if (!("serviceWorker" in navigator)) return;
  try {
    const reg = await navigator.serviceWorker.getRegistration("/");
    if (reg && reg.sync) await reg.sync.register("rounds-sync");
  } catch (err) { /* not granted: the online event and app start still sync */ }
}

/** Count of records still waiting for the server, shown in the top bar and the capture view. */
export async function refreshBadges() {
  const uid = userId();
  const n = uid === null ? 0 : await queue.count(uid).catch(() => 0);
  for (const el of document.querySelectorAll("[data-unsynced]")) {
    el.textContent = el.id === "unsynced" ? `${n} unsynced` : String(n);
    el.dataset.count = String(n);
    if (el.id === "unsynced") el.hidden = n === 0;
  }
  const storage = document.getElementById("storage-note"); // tablet.askPersistence
  if (storage) storage.hidden = !storage.dataset.refused || n === 0;
  return n;
}

/** One sync at a time per tab, and per user across tabs where Web Locks exist. */
export function syncNow() {
  const uid = userId();
  if (uid === null) return Promise.resolve(null);
  if (!running) {
    const work = () => flush(uid);
    const run = navigator.locks ? navigator.locks.request(`rounds-sync-u${uid}`, work) : work();
    running = run.then((summary) => { scheduleRetry(summary); return summary; })
      .finally(() => { running = null; });
  }
  return running;
}

async function flush(uid) {
  if (!queue.isUnlocked(uid)) return null; // encrypted until its owner's key is back (tablet.js)
  await ensureCsrf().catch(() => {});
  const records = await queue.all(uid);
  const waiting = records.filter((r) => r.status === "pending" || r.status === "syncing");
  const summary = { created: 0, duplicate: 0, conflict: 0, rejected: 0, failed: 0, photos: 0 };
  for (let i = 0; i < waiting.length && stillSignedIn(uid); i += BATCH) {
    const ok = await sendBatch(uid, waiting.slice(i, i + BATCH), summary);
    if (!ok) break;
  }
  const withPhotos = (await queue.all(uid)).filter((r) => r.status === "stored" && r.server_id);
  for (const record of withPhotos) {
    if (stillSignedIn(uid)) await sendPhoto(uid, record, summary);
  }
  await refreshBadges();
  window.dispatchEvent(new CustomEvent("rounds:synced", { detail: summary }));
  return summary;
}

async function sendBatch(uid, records, summary) {
  await queue.putMany(uid, records.map((r) => ({ ...r, status: "syncing" })));
  let answer;
  try {
    answer = await api("/api/observations/sync/", {
      method: "POST", body: { observations: records.map((r) => r.payload) },
    });
  } catch (err) {
    // No answer for these records: they stay queued, with the reason, for the next attempt.
    await queue.putMany(uid, records.map((r) => ({ ...r, status: "pending", error: retryReason(err) })));
    summary.failed += records.length;
    return false;
  }
  const byId = new Map(answer.results.map((res) => [res.client_id, res]));
  const updated = records.map((r) => applyResult(r, byId.get(r.client_id), summary));
  // Stored and without a photo: nothing left to send, so the record leaves the queue.
  const done = updated.filter((r) => r.status === "stored" && !r.photo);
  const keep = updated.filter((r) => !done.includes(r));
  await queue.putMany(uid, keep, done.map((r) => r.client_id));
  return true;
}

function isStored(res) {
  return res.status === "created" || res.status === "duplicate";
}

function applyResult(record, res, summary) {
  if (!res) return { ...record, status: "pending", error: "The server did not answer for this item." };
  summary[res.status] = (summary[res.status] || 0) + 1;
  if (isStored(res)) return { ...record, status: "stored", server_id: res.id, error: "", errors: {} };
  const errors = res.errors || {};
  const error = res.status === "conflict"
    ? "Another observation already uses this ID with different content. Resend it as new or discard it."
    : `Rejected: ${describeErrors(errors) || "the server refused this item."}`;
  return { ...record, status: res.status, error, errors };
}

async function sendPhoto(uid, record, summary) {
  const form = new FormData();
  form.append("image", record.photo, `${record.photo_client_id}.jpg`);
  form.append("client_id", record.photo_client_id);
  if (record.redact.length) form.append("redact", JSON.stringify(record.redact));
  try {
    await api(`/api/observations/${record.server_id}/photos/`, { method: "POST", form });
  } catch (err) {
    if (isRetryable(err)) {
      summary.retry = (summary.retry || 0) + 1;
      await queue.put(uid, { ...record, error: `Photo not sent yet: ${retryReason(err)}` });
    } else {
      await queue.put(uid, { ...record, status: "rejected", error: `Photo rejected: ${err.message}`,
        errors: err.errors || {} });
    }
    return;
  }
  summary.photos += 1;
  await queue.remove(uid, record.client_id); // observation and photo both answered: done
}

function isRetryable(err) {
  return !(err instanceof ApiError) || err.status >= 500 || [401, 403, 408, 429].includes(err.status);
}

function retryReason(err) {
  if (!(err instanceof ApiError)) {
    return navigator.onLine
      ? "The server did not answer; retrying by itself when it does."
      : "Offline; sends by itself when the connection is back.";
  }
  if (err.status === 401 || err.status === 403) return "Sign in again to sync.";
  return `${err.message} (will retry)`;
}

export function describeErrors(errors) {
  return Object.entries(errors || {})
    .map(([field, msgs]) => `${field}: ${[].concat(msgs).map(flatten).join(" ")}`)
    .join("; ");
}

function flatten(msg) {
  return typeof msg === "string" ? msg : JSON.stringify(msg);
}
