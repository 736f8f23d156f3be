// The PWA's one DOM toolkit: build elements with `h` (text is always text, never HTML), escape the
// rare string that must go into markup, make client ids, and mount views that clean up after
// themselves (so leaving a view never touches elements that are gone).

// Set as properties, not attributes: they describe live state (an input's current value).
const PROPS = new Set(["value", "checked", "selected", "disabled", "textContent", "className", "htmlFor"]);

function apply(node, attrs) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.setAttribute("class", v);
    else if (k === "text") node.textContent = v;
    else if (k === "dataset") Object.assign(node.dataset, v);
    else if (k.startsWith("on") && typeof v === "function") node.addEventListener(k.slice(2).toLowerCase(), v);
    else if (PROPS.has(k)) node[k] = v;
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  return node;
}

function append(node, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : String(c));
  }
  return node;
}

/** An HTML element: `h("button", {class: "secondary", onclick}, "Save")`. Strings become text. */
export function h(tag, attrs = {}, ...children) {
  return append(apply(document.createElement(tag), attrs), children);
}

const SVG_NS = "http://www.w3.org/2000/svg";

/** An SVG element, same shape as `h`. */
export function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "text") node.textContent = v;
    else if (v !== null && v !== undefined && v !== false) node.setAttribute(k, String(v));
  }
  return append(node, children);
}

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for markup; prefer `h`, which never parses text as HTML. */
export function esc(value) {
  return String(value ?? "").replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** Replaces an element's children (nodes or strings) in one go. */
export function fill(node, ...children) {
  if (!node) return node;
  node.replaceChildren();
  return append(node, children);
}

/** A v4 UUID; crypto.randomUUID exists only in secure contexts (ward tablets may use plain http). */
export function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const x = [...b].map((n) => n.toString(16).padStart(2, "0")).join("");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** Plain words for an identifier: "workflow_fit" -> "Workflow fit". */
export function humanize(text) {
  const t = String(text ?? "").replace(/_/g, " ");
  return t.charAt(0).toUpperCase() + t.slice(1);
}

/** "1 observation", "3 observations". */
export function plural(n, word, many = `${word}s`) {
  return `${n} ${n === 1 ? word : many}`;
}

/**
 * A mounted view. The router calls `unmount()` before the next view renders: listeners added
 * with `on()` go, timers set with `later()` stop, and `alive` turns false so work finishing
 * after an await (a fetch, a socket frame) can bail out instead of writing to a detached page.
 */
export class View {
  constructor(main, ctx) {
    this.main = main;
    this.ctx = ctx;
    this.abort = new AbortController();
    this.timers = new Set();
    this.cleanups = [];
  }

  get alive() { return !this.abort.signal.aborted; }

  get signal() { return this.abort.signal; }

  /** The element matching `sel` in this view (null once unmounted). */
  $(sel) { return this.alive ? this.main.querySelector(sel) : null; }

  on(target, type, fn, opts = {}) {
    target.addEventListener(type, fn, { ...opts, signal: this.abort.signal });
  }

  later(fn, ms) {
    const t = setTimeout(() => { this.timers.delete(t); if (this.alive) fn(); }, ms);
    this.timers.add(t);
    return t;
  }

  /** Runs `fn` on unmount (close a socket, stop a camera). */
  onUnmount(fn) { this.cleanups.push(fn); }

  unmount() {
    if (!this.alive) return;
    this.abort.abort();
    this.timers.forEach(clearTimeout);
    this.timers.clear();
    for (const fn of this.cleanups.splice(0)) {
      try { fn(); } catch (err) { console.warn("unmount:", err); }
    }
  }
}

/** Exports for a view module: `export const { render, unmount } = mountable(MyView)`. The class
 *  gets (main, ctx) and an async `mount()`. */
export function mountable(ViewClass) {
  let current = null;
  return {
    async render(main, ctx) {
      if (current) current.unmount();
      const mine = new ViewClass(main, ctx);
      current = mine;
      if (ctx && ctx.signal) ctx.signal.addEventListener("abort", () => mine.unmount(), { once: true });
      await mine.mount();
      return mine;
    },
    unmount() { if (current) current.unmount(); current = null; },
  };
}

/**
 * Asks before something hard to undo, in a modal <dialog> (keyboard and screen reader friendly;
 * Escape cancels). Resolves true only when the user confirms.
 */
export function confirmDialog({ title, body = "", confirm = "Confirm", cancel = "Cancel", danger = false, id = "confirm" }) {
  return new Promise((resolve) => {
    const yes = h("button", { type: "submit", id: `${id}-yes`, value: "yes", class: danger ? "danger" : "" }, confirm);
    const no = h("button", { type: "submit", id: `${id}-no`, value: "no", class: "secondary" }, cancel);
    const dlg = h("dialog", { class: "confirm", id, "aria-labelledby": `${id}-title` },
      h("form", { method: "dialog" },
        h("h2", { id: `${id}-title` }, title),
        body ? h("p", {}, body) : null,
        h("div", { class: "row" }, no, yes)));
    dlg.addEventListener("close", () => { dlg.remove(); resolve(dlg.returnValue === "yes"); });
    document.body.append(dlg);
    dlg.showModal();
    no.focus();
  });
}
