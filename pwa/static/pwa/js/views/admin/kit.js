// The admin screens' shared pieces: labelled fields, tables that stack on phones, the sentence to
// show for a failed request (offline wording included), dates, and a "load more" pager.
import { h, humanize } from "../../dom.js";

export const when = (iso) => (iso ? new Date(iso).toLocaleString() : "");

/** A labelled control; `hint` is read out with it. */
export function field(id, label, input, hint = "") {
  input.id = id;
  const parts = [h("label", { for: id }, label), input];
  if (hint) {
    input.setAttribute("aria-describedby", `${id}-hint`);
    parts.push(h("p", { class: "hint", id: `${id}-hint` }, hint));
  }
  return h("div", { class: "field" }, ...parts);
}

/** A status line read out politely when it changes. */
export function note(id) {
  return h("p", { id, class: "note", role: "status", "aria-live": "polite" });
}

const NO_ANSWER = "The server did not answer, so nothing was changed. Check the connection and try again.";

/** The sentence for a failed request: the server's own (with its field errors), or no answer. */
export function errorText(err) {
  if (!err || err.status === undefined) return navigator.onLine ? NO_ANSWER : `Offline. ${NO_ANSWER}`;
  const fields = Object.entries(err.errors || {})
    .map(([name, msgs]) => `${humanize(name)}: ${[].concat(msgs).join(" ")}`);
  return [err.message, ...fields].join(" ");
}

export function problem(err) {
  return h("p", { class: "error", role: "alert" }, errorText(err));
}

/** A table whose rows become labelled cards on phones (each cell carries its column's name).
 *  `rows` are arrays of cells or rows already made with `row`. */
export function table(id, caption, head, rows, { hideCaption = false } = {}) {
  return h("table", { id, class: "admin-table" },
    h("caption", { class: hideCaption ? "sr-only" : null }, caption),
    h("thead", {}, h("tr", {}, ...head.map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, ...rows.map((cells) => (cells instanceof Node ? cells : row(head, cells)))));
}

export function row(head, cells) {
  return h("tr", {}, ...cells.map((c, i) => h("td", { "data-label": head[i] || "" }, c ?? "")));
}

/** "Load more" for a cursor-paginated list: `fetchPage(url)` appends and returns the next url. */
export function pager(id, label, fetchPage) {
  let next = null;
  const button = h("button", { type: "button", class: "secondary", id, hidden: true }, label);
  button.addEventListener("click", async () => {
    button.disabled = true;
    try { next = await fetchPage(next); } finally { button.disabled = false; }
    button.hidden = !next;
  });
  return { el: button, set(url) { next = url; button.hidden = !url; } };
}

/**
 * Loads one page of a cursor-paginated list into `list` (replacing it, or appending for "load
 * more"), one element per result from `item`; `empty` shows when nothing matches. Failures go to
 * `status`. Returns the next page's URL (null at the end or on failure) and sets `more`.
 */
export async function loadList({ api, path, url = null, append = false, list, item, empty, more, status }) {
  try {
    const page = await api(url ? pathOf(url) : path);
    const items = page.results.map(item);
    if (append) list.append(...items);
    else list.replaceChildren(...(items.length ? items : [h("li", { class: "muted" }, empty)]));
    if (status) status.textContent = "";
    more.set(page.next);
    return page.next;
  } catch (err) {
    if (status) status.textContent = errorText(err);
    return null;
  }
}

/** A relative API path for a pagination link (the server answers absolute URLs). */
export function pathOf(url) {
  const u = new URL(url, location.origin);
  return u.pathname + u.search;
}
