/* Rounds service worker: precaches the app shell (versioned), serves it offline. */
const VERSION = "{{ version }}";
const CACHE = `rounds-shell-${VERSION}`;
const PRECACHE = {{ precache|safe }};
// Opened directly (API docs, a JSON error, a photo), these are the server's answers, not the app's.
// Single sign-on redirects (/accounts/) must reach the server too, never the cached shell.
const SERVER_ONLY = ["/api/", "/media/", "/static/", "/accounts/"];

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(PRECACHE);
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((n) => n.startsWith("rounds-shell-") && n !== CACHE)
      .map((n) => caches.delete(n)));
    await self.clients.claim();
  })());
});

async function shellResponse(request) {
  try {
    const fresh = await fetch(request);
    if (fresh.ok) return fresh;
    throw new Error(`status ${fresh.status}`);
  } catch (err) {
    const cache = await caches.open(CACHE);
    return (await cache.match("/")) || Response.error();
  }
}

async function staticResponse(request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  const fresh = await fetch(request);
  if (fresh.ok && request.method === "GET") cache.put(request, fresh.clone());
  return fresh;
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== self.location.origin || event.request.method !== "GET") return;
  if (event.request.mode === "navigate" && !SERVER_ONLY.some((p) => url.pathname.startsWith(p))) {
    event.respondWith(shellResponse(event.request));
  } else if (url.pathname.startsWith("/static/") || url.pathname === "/manifest.webmanifest") {
    event.respondWith(staticResponse(event.request));
  }
  // API calls go straight to the network: the page keeps its own offline queue.
});

// Background Sync, with Workbox's semantics: ask open pages to flush their queue (the queue lives
// in the page's encrypted IndexedDB code) and resolve only when one reports that everything got an
// answer; otherwise throw, so the browser keeps the registration and retries later with its own
// back-off (also when no page is open: the app flushes on its next start as well).
const SYNC_WAIT = 60000;

function askToFlush(client) {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    const timer = setTimeout(() => resolve(false), SYNC_WAIT);
    channel.port1.onmessage = (event) => { clearTimeout(timer); resolve(Boolean(event.data && event.data.ok)); };
    client.postMessage({ type: "sync" }, [channel.port2]);
  });
}

async function flushFromPages() {
  const clients = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const answers = await Promise.all(clients.map(askToFlush));
  if (!answers.some(Boolean)) {
    throw new Error(clients.length ? "No page could flush the queue yet." : "No page open to flush the queue.");
  }
}

self.addEventListener("sync", (event) => {
  if (event.tag !== "rounds-sync") return;
  event.waitUntil(flushFromPages());
});
