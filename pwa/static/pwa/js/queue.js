// The offline capture queue: one IndexedDB database per user, one record per observation keyed by
// client_id. A record leaves only when the server has answered for it (or its owner discards it).
import { openDB } from "../vendor/idb/index.js";

const STORE = "observations";
export const STATUSES = ["pending", "syncing", "stored", "conflict", "rejected"];
const handles = new Map();

// A database per user id, so a shared tablet never mixes two people's queues and signing out
// never hands one person's unsynced items to the next.
export function dbName(userId) {
  return `rounds-capture-u${userId}`;
}

export function open(userId) {
  if (!handles.has(userId)) {
    handles.set(userId, openDB(dbName(userId), 1, {
      upgrade(db) {
        const store = db.createObjectStore(STORE, { keyPath: "client_id" });
        store.createIndex("created", "created");
      },
      blocked() {},
      terminated() { handles.delete(userId); },
    }));
  }
  return handles.get(userId);
}

/** A v4 UUID; crypto.randomUUID exists only in secure contexts, getRandomValues everywhere. */
export function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A new queued record: the observation payload plus its photo (already redacted) and state. */
export function newRecord(payload, photo = null) {
  return {
    client_id: payload.client_id,
    payload,
    status: "pending",
    error: "",
    errors: {},
    server_id: null,
    photo: photo && photo.blob,
    photo_client_id: photo ? uuid() : null,
    redact: photo ? photo.boxes : [],
    created: Date.now(),
    updated: Date.now(),
  };
}

export async function add(userId, record) {
  const db = await open(userId);
  await db.add(STORE, record); // add, not put: a client_id is never silently overwritten
  announce(userId);
}

export async function put(userId, record) {
  const db = await open(userId);
  await db.put(STORE, { ...record, updated: Date.now() });
  announce(userId);
}

/** Apply a batch's answers in one transaction: they land together or not at all. */
export async function putMany(userId, records, removeIds = []) {
  const db = await open(userId);
  const tx = db.transaction(STORE, "readwrite");
  await Promise.all([
    ...records.map((r) => tx.store.put({ ...r, updated: Date.now() })),
    ...removeIds.map((id) => tx.store.delete(id)),
    tx.done,
  ]);
  announce(userId);
}

/** Swap a record for another (a conflict resent under a new client_id), atomically. */
export async function replace(userId, oldId, record) {
  const db = await open(userId);
  const tx = db.transaction(STORE, "readwrite");
  await Promise.all([tx.store.delete(oldId), tx.store.add(record), tx.done]);
  announce(userId);
}

export async function get(userId, clientId) {
  return (await open(userId)).get(STORE, clientId);
}

export async function remove(userId, clientId) {
  await (await open(userId)).delete(STORE, clientId);
  announce(userId);
}

/** Every queued record, oldest first. */
export async function all(userId) {
  return (await open(userId)).getAllFromIndex(STORE, "created");
}

export async function count(userId) {
  return (await open(userId)).count(STORE);
}

function announce(userId) {
  window.dispatchEvent(new CustomEvent("rounds:queue", { detail: { userId } }));
}
