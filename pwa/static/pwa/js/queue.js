// The offline capture queue: one IndexedDB database per user, one record per observation keyed by
// client_id. A record leaves only when the server has answered for it (or its owner discards it).
//
// Encrypted at rest (shared tablets): each record's content and photo are AES-GCM ciphertext under
// the user's data key; the data key is stored only wrapped (AES-GCM) by a key the server releases
// to that user's signed-in session (/api/me/queue-key/). `lock()` at sign-out or idle logoff forgets
// the wrapping key, so the next person on the tablet finds ciphertext they cannot open; the owner's
// next sign-in unlocks it again. Only client_id and the creation time stay readable (for order
// and counts).
import { openDB } from "../vendor/idb/index.js";
import { uuid } from "./dom.js";

const STORE = "observations";
const KEYS = "keys";
const LEGACY = "legacy"; // plaintext records of the version-1 queue, encrypted at the next unlock
export const STATUSES = ["pending", "syncing", "stored", "conflict", "rejected"];
const handles = new Map();
const dataKeys = new Map(); // userId -> CryptoKey (non-extractable), only while unlocked

// WebCrypto exists only in secure contexts (HTTPS, localhost). A pilot opened over plain HTTP at
// a LAN address has none: there the queue is kept in this page's memory only, never written to
// the device unencrypted; it syncs at once when online and is lost if the page closes first.
export const persistent = Boolean(globalThis.isSecureContext && globalThis.crypto && crypto.subtle);

export class QueueLocked extends Error {
  constructor() { super("Sign in again (online) to open this tablet's queue."); }
}

// A database per user id, so a shared tablet never mixes two people's queues.
export function dbName(userId) {
  return `rounds-capture-u${userId}`;
}

export function open(userId) {
  if (!persistent && !handles.has(userId)) handles.set(userId, Promise.resolve(memoryDb()));
  if (!handles.has(userId)) {
    handles.set(userId, openDB(dbName(userId), 2, {
      upgrade(db, oldVersion, newVersion, tx) {
        if (oldVersion === 1) tx.objectStore(STORE).name = LEGACY;
        const store = db.createObjectStore(STORE, { keyPath: "client_id" });
        store.createIndex("created", "created");
        db.createObjectStore(KEYS, { keyPath: "id" });
      },
      blocked() {},
      terminated() { handles.delete(userId); },
    }));
  }
  return handles.get(userId);
}

/** The few IndexedDB calls this module makes, on Maps in this page's memory (plain HTTP). */
function memoryDb() {
  const stores = { [STORE]: new Map(), [KEYS]: new Map() };
  const key = (name, value) => (name === KEYS ? value.id : value.client_id);
  const db = {
    objectStoreNames: { contains: (name) => name in stores },
    async get(name, k) { return stores[name].get(k); },
    async put(name, value) { stores[name].set(key(name, value), value); },
    async add(name, value) {
      if (stores[name].has(key(name, value))) throw new DOMException("Key already exists", "ConstraintError");
      stores[name].set(key(name, value), value);
    },
    async delete(name, k) { stores[name].delete(k); },
    async count(name) { return stores[name].size; },
    async getAllFromIndex(name) { return [...stores[name].values()].sort((a, b) => a.created - b.created); },
    transaction(names) {
      const on = (name) => ({ put: (v) => db.put(name, v), add: (v) => db.add(name, v), delete: (k) => db.delete(name, k) });
      return { store: on([].concat(names).pop()), objectStore: on, done: Promise.resolve() };
    },
  };
  return db;
}

const b64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
const aad = (clientId) => new TextEncoder().encode(String(clientId));

/** Unlock with the wrapping key from the server (raw, base64); creates the data key the first
 *  time. The wrapping key is kept (non-extractable) until `lock()`, so an offline reload of a
 *  still signed-in tablet can open the queue. */
export async function unlock(userId, wrappingKeyB64) {
  if (!persistent) { dataKeys.set(userId, "memory"); announce(userId); return; }
  const wk = await crypto.subtle.importKey("raw", b64(wrappingKeyB64), "AES-GCM", false,
    ["wrapKey", "unwrapKey"]);
  const db = await open(userId);
  await db.put(KEYS, { id: "wk", key: wk });
  await openDataKey(userId, wk);
  await encryptLegacy(userId);
  announce(userId);
}

/** After a reload: unlock with the wrapping key kept since sign-in, if there is one. */
export async function resume(userId) {
  if (!persistent) return isUnlocked(userId);
  const row = await (await open(userId)).get(KEYS, "wk");
  if (!row) return false;
  await openDataKey(userId, row.key);
  await encryptLegacy(userId);
  return true;
}

/** Forget every key of this user on this device: what is queued stays, unreadable until they
 *  sign in again. */
export async function lock(userId) {
  dataKeys.delete(userId);
  await (await open(userId)).delete(KEYS, "wk");
  announce(userId);
}

export function isUnlocked(userId) {
  return dataKeys.has(userId);
}

async function openDataKey(userId, wk) {
  const db = await open(userId);
  const wrapped = await db.get(KEYS, "dk");
  const alg = { name: "AES-GCM", length: 256 };
  if (wrapped) {
    dataKeys.set(userId, await crypto.subtle.unwrapKey("raw", wrapped.data, wk,
      { name: "AES-GCM", iv: wrapped.iv }, alg, false, ["encrypt", "decrypt"]));
    return;
  }
  const dk = await crypto.subtle.generateKey(alg, true, ["encrypt", "decrypt"]);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.wrapKey("raw", dk, wk, { name: "AES-GCM", iv });
  await db.put(KEYS, { id: "dk", iv, data });
  // Keep only a non-extractable copy in memory.
  const raw = await crypto.subtle.unwrapKey("raw", data, wk, { name: "AES-GCM", iv }, alg, false,
    ["encrypt", "decrypt"]);
  dataKeys.set(userId, raw);
}

function keyOf(userId) {
  const key = dataKeys.get(userId);
  if (!key) throw new QueueLocked();
  return key;
}

async function seal(userId, record) {
  const key = keyOf(userId);
  if (!persistent) return { ...record }; // memory only: nothing reaches the device's storage
  const { photo, ...rest } = record;
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const plain = new TextEncoder().encode(JSON.stringify(rest));
  const data = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: aad(record.client_id) }, key, plain);
  const sealed = { client_id: record.client_id, created: record.created, iv, data, photo: null };
  if (photo) {
    const piv = crypto.getRandomValues(new Uint8Array(12));
    sealed.photo = {
      iv: piv,
      data: await crypto.subtle.encrypt({ name: "AES-GCM", iv: piv, additionalData: aad(record.client_id) },
        key, await photo.arrayBuffer()),
      type: photo.type,
    };
  }
  return sealed;
}

async function open_(userId, sealed) {
  if (!sealed) return sealed;
  const key = keyOf(userId);
  if (!persistent) return { ...sealed };
  const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: sealed.iv, additionalData: aad(sealed.client_id) },
    key, sealed.data);
  const record = JSON.parse(new TextDecoder().decode(plain));
  record.photo = null;
  if (sealed.photo) {
    const bytes = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: sealed.photo.iv, additionalData: aad(sealed.client_id) }, key, sealed.photo.data);
    record.photo = new Blob([bytes], { type: sealed.photo.type });
  }
  return record;
}

async function encryptLegacy(userId) {
  const db = await open(userId);
  if (!db.objectStoreNames.contains(LEGACY)) return;
  for (const record of await db.getAll(LEGACY)) {
    const sealed = await seal(userId, record);
    const tx = db.transaction([LEGACY, STORE], "readwrite");
    await Promise.all([tx.objectStore(STORE).put(sealed), tx.objectStore(LEGACY).delete(record.client_id), tx.done]);
  }
}

export { uuid }; // the one in dom.js, re-exported for callers of the queue

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
  const sealed = await seal(userId, record);
  await (await open(userId)).add(STORE, sealed); // add, not put: a client_id is never overwritten
  announce(userId);
}

export async function put(userId, record) {
  const sealed = await seal(userId, { ...record, updated: Date.now() });
  await (await open(userId)).put(STORE, sealed);
  announce(userId);
}

/** Apply a batch's answers in one transaction: they land together or not at all. */
export async function putMany(userId, records, removeIds = []) {
  const sealed = await Promise.all(records.map((r) => seal(userId, { ...r, updated: Date.now() })));
  const db = await open(userId);
  const tx = db.transaction(STORE, "readwrite");
  await Promise.all([
    ...sealed.map((r) => tx.store.put(r)),
    ...removeIds.map((id) => tx.store.delete(id)),
    tx.done,
  ]);
  announce(userId);
}

/** Swap a record for another (a conflict resent under a new client_id), atomically. */
export async function replace(userId, oldId, record) {
  const sealed = await seal(userId, record);
  const db = await open(userId);
  const tx = db.transaction(STORE, "readwrite");
  await Promise.all([tx.store.delete(oldId), tx.store.add(sealed), tx.done]);
  announce(userId);
}

export async function get(userId, clientId) {
  return open_(userId, await (await open(userId)).get(STORE, clientId));
}

export async function remove(userId, clientId) {
  await (await open(userId)).delete(STORE, clientId);
  announce(userId);
}

/** Every queued record, oldest first (needs the queue unlocked). */
export async function all(userId) {
  const sealed = await (await open(userId)).getAllFromIndex(STORE, "created");
  return Promise.all(sealed.map((s) => open_(userId, s)));
}

/** How many records wait, readable even while locked (counts only: the heartbeat sends it). */
export async function count(userId) {
  const db = await open(userId);
  const legacy = db.objectStoreNames.contains(LEGACY) ? await db.count(LEGACY) : 0;
  return (await db.count(STORE)) + legacy;
}

function announce(userId) {
  window.dispatchEvent(new CustomEvent("rounds:queue", { detail: { userId } }));
}
