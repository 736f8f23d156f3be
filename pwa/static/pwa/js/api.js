// Talks to the Rounds API: session cookie + CSRF header, JSON errors turned into ApiError.
export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.detail) || `Request failed (${status})`);
    this.status = status;
    this.code = body && body.code;
    this.errors = (body && body.errors) || {};
    this.body = body;
  }
}

/** A request that got no answer at all (offline, or the server down): said in plain words where
 *  a view shows `err.message`, instead of the browser's "Failed to fetch". */
export class NoAnswer extends Error {
  constructor() {
    super(navigator.onLine
      ? "The Rounds server is not answering. Try again in a moment; Capture still works meanwhile."
      : "Offline: this needs the server. Try again when you are back online; Capture still works meanwhile.");
    this.name = "NoAnswer";
  }
}

export function csrfToken() {
  const m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return m ? decodeURIComponent(m[1]) : "";
}

export async function api(path, { method = "GET", body, form, signal } = {}) {
  const headers = { Accept: "application/json" };
  let payload;
  if (form) {
    payload = form;
  } else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  if (method !== "GET") headers["X-CSRFToken"] = csrfToken();
  let res;
  try {
    res = await fetch(path, { method, headers, body: payload, credentials: "same-origin", signal });
  } catch (err) {
    // No answer at all: let the reachability probe (net.js) find out whether the server is gone.
    if (signal && signal.aborted) throw err;
    window.dispatchEvent(new CustomEvent("rounds:unreachable"));
    throw new NoAnswer();
  }
  if (res.status === 204) return null;
  const type = res.headers.get("Content-Type") || "";
  const data = type.includes("json") ? await res.json() : await res.text();
  if (!res.ok) throw new ApiError(res.status, typeof data === "object" ? data : { detail: data });
  return data;
}

export async function ensureCsrf() {
  if (!csrfToken()) await api("/api/auth/csrf/");
}
