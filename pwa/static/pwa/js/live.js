// Live sessions, client side: the widgets both Join and Facilitate draw (aggregate bars, pins
// over a screen). The reconnecting socket is socket.js's LiveSocket (one client for every socket).
import { h } from "./dom.js";

export { FINAL_CLOSES, LiveSocket, active, backoff, closeOnLeave, statusPill, wsUrl } from "./socket.js";

export function label(dimension) {
  const text = String(dimension).replace(/_/g, " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Counts for scores 1..5 whether the server sends a list or a {score: count} map. */
export function histogram(raw) {
  if (Array.isArray(raw)) return [0, 1, 2, 3, 4].map((i) => Number(raw[i] || 0));
  return [1, 2, 3, 4, 5].map((s) => Number((raw && (raw[s] ?? raw[String(s)])) || 0));
}

/** Fills `box` with one labelled bar per dimension: mean out of 5, plus the 1–5 distribution. */
export function drawAggregate(box, agg, dimensions) {
  box.innerHTML = "";
  const count = (agg && agg.count) || 0;
  box.appendChild(h("p", { class: "agg-count" }, h("strong", { "data-count": true }, String(count)),
    ` rating${count === 1 ? "" : "s"}`));
  const dims = dimensions.length ? dimensions : Object.keys((agg && agg.means) || {});
  for (const dim of dims) box.appendChild(aggregateRow(dim, agg, count));
}

function aggregateRow(dim, agg, count) {
  const mean = agg && agg.means ? agg.means[dim] : null;
  const hist = histogram(agg && agg.histograms ? agg.histograms[dim] : null);
  const row = document.createElement("div");
  row.className = "agg-row";
  row.dataset.dimension = dim;
  row.title = `${label(dim)}: ${hist.map((n, i) => `${i + 1}: ${n}`).join(" · ")}`;
  const shown = typeof mean === "number" && count ? mean.toFixed(1) : "–";
  const pct = typeof mean === "number" && count ? (mean / 5) * 100 : 0;
  row.append(
    h("div", { class: "agg-label" }, h("span", {}, label(dim)), " ", h("strong", { class: "agg-mean" }, shown)),
    h("div", { class: "agg-bar", role: "img", "aria-label": `${label(dim)}: mean ${shown} of 5` },
      h("span", { style: `width:${pct}%` })),
    h("div", { class: "agg-hist muted" }, hist.map((n, i) => `${i + 1}: ${n}`).join(" · ")),
  );
  return row;
}

/** A pin as {x, y} in 0..1, from {x, y}, [x, y] or a frame carrying pin / pin_x, pin_y. */
export function pinOf(obj) {
  if (!obj) return null;
  const p = obj.pin !== undefined ? obj.pin : obj;
  if (Array.isArray(p) && p.length >= 2) return { x: Number(p[0]), y: Number(p[1]) };
  if (p && typeof p.x === "number" && typeof p.y === "number") return { x: p.x, y: p.y };
  if (typeof obj.pin_x === "number" && typeof obj.pin_y === "number") return { x: obj.pin_x, y: obj.pin_y };
  return null;
}

/** A dot placed over a screen image at fractional (x, y). */
export function pinDot(pin, title = "") {
  const dot = document.createElement("span");
  dot.className = "pin-dot";
  dot.style.left = `${pin.x * 100}%`;
  dot.style.top = `${pin.y * 100}%`;
  if (title) dot.title = title;
  return dot;
}

/** Redraws notes (comments and ratings, keyed) as pins over the screen and a list of texts;
 *  returns how many pins it drew. */
export function drawNotes(notes, pinsBox, listBox) {
  pinsBox.innerHTML = "";
  listBox.innerHTML = "";
  let numbered = 0; // a pinned comment's number is on its pin and before its words
  for (const note of notes.values()) {
    const pin = pinOf(note);
    const n = pin && note.text ? ++numbered : 0;
    if (pin) {
      const dot = pinDot(pin, note.text || "");
      if (n) { dot.classList.add("numbered"); dot.textContent = String(n); }
      pinsBox.appendChild(dot);
    }
    if (!note.text) continue;
    const li = document.createElement("li");
    if (n) {
      const tag = document.createElement("span");
      tag.className = "pin-n";
      tag.textContent = String(n);
      tag.setAttribute("aria-label", `Pin ${n}:`);
      li.append(tag, " ");
    }
    li.append(note.text);
    listBox.appendChild(li);
  }
  return pinsBox.children.length;
}

/** The list in a paginated answer, or the answer itself when it is already a list. */
export function items(page) {
  return Array.isArray(page) ? page : (page && page.results) || [];
}
