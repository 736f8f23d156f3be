// A screen's named regions ("Alert banner", "Lactate trend"): what participants who cannot point
// pick from a list, and what screen readers read. Drag a box on the screen, or type its place in
// percent, name it, add it; "Save regions" sends the whole list (PATCH /api/screens/{id}/).
import { h } from "../../dom.js";
import { errorText, field, note } from "./kit.js";

const MIN_BOX = 0.01; // a tap, not a box
const pct = (v) => Math.round(v * 1000) / 10;
const clamp = (v) => Math.min(1, Math.max(0, v));

// A region id the server accepts (letters, digits, _ or -, unique), made from its label.
function regionId(label, taken) {
  const base = label.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 34) || "region";
  let id = base;
  for (let n = 2; taken.has(id); n += 1) id = `${base}-${n}`;
  return id;
}

export function regionEditor(screen, { api, onSaved }) {
  let regions = (screen.regions || []).map((r) => ({ ...r, box: [...r.box] }));
  const prefix = `reg-${screen.id}`;
  const boxes = h("div", { class: "region-boxes", "aria-hidden": "true" });
  const draftBox = h("div", { class: "region-box draft", hidden: true });
  const pad = h("div", { class: "region-pad", id: `${prefix}-pad` }, boxes, draftBox);
  const stage = h("div", { class: "region-stage" },
    h("img", { src: screen.image_url, alt: `Screen: ${screen.title}. Drag on it to mark a region.`, draggable: "false" }), pad);
  const inputs = ["x", "y", "w", "h"].map((k) => h("input", { type: "number", min: "0", max: "100", step: "0.1", name: k }));
  const label = h("input", { maxlength: "80", name: "label" });
  const list = h("ol", { class: "region-list", id: `${prefix}-list` });
  const status = note(`${prefix}-status`);
  const save = h("button", { type: "button", class: "save-regions" }, "Save regions");

  const setDraft = (box) => {
    inputs.forEach((input, i) => { input.value = box ? String(pct(box[i])) : ""; });
    place(draftBox, box);
  };
  const place = (el, box) => {
    el.hidden = !box;
    if (!box) return;
    Object.assign(el.style, { left: `${box[0] * 100}%`, top: `${box[1] * 100}%`, width: `${box[2] * 100}%`, height: `${box[3] * 100}%` });
  };
  const draw = () => {
    boxes.replaceChildren(...regions.map((r) => { const el = h("div", { class: "region-box" }, r.label); place(el, r.box); return el; }));
    list.replaceChildren(...regions.map((r, i) => h("li", {},
      `${r.label} · from ${pct(r.box[0])}% across, ${pct(r.box[1])}% down, ${pct(r.box[2])}% × ${pct(r.box[3])}% `,
      h("button", { type: "button", class: "secondary", "aria-label": `Remove region ${r.label}`,
        onclick: () => { regions.splice(i, 1); draw(); status.textContent = `Removed ${r.label} (not saved yet).`; } }, "Remove"))));
    if (!regions.length) list.replaceChildren(h("li", { class: "muted" }, "No named regions yet."));
  };

  const point = (event) => {
    const rect = pad.getBoundingClientRect();
    return [clamp((event.clientX - rect.left) / rect.width), clamp((event.clientY - rect.top) / rect.height)];
  };
  let origin = null;
  let draft = null;
  pad.addEventListener("pointerdown", (e) => {
    pad.setPointerCapture(e.pointerId);
    origin = point(e);
    draft = null;
  });
  pad.addEventListener("pointermove", (e) => {
    if (!origin) return;
    const [px, py] = point(e);
    draft = [Math.min(origin[0], px), Math.min(origin[1], py), Math.abs(px - origin[0]), Math.abs(py - origin[1])];
    setDraft(draft);
  });
  const finish = () => {
    if (origin && draft && draft[2] >= MIN_BOX && draft[3] >= MIN_BOX) label.focus();
    origin = null;
  };
  pad.addEventListener("pointerup", finish);
  pad.addEventListener("pointercancel", finish);
  inputs.forEach((input) => input.addEventListener("input", () => place(draftBox, typedBox())));

  const typedBox = () => {
    const v = inputs.map((i) => Number(i.value) / 100);
    if (inputs.some((i) => i.value === "") || v.some((n) => !Number.isFinite(n))) return null;
    return v;
  };
  const add = h("button", { type: "button", class: "add-region" }, "Add region");
  add.addEventListener("click", () => {
    const box = typedBox();
    const name = label.value.trim();
    if (!name) { status.textContent = "Give the region a name people will hear, like \"Alert banner\"."; label.focus(); return; }
    if (!box || box[2] < MIN_BOX || box[3] < MIN_BOX || box[0] + box[2] > 1.0001 || box[1] + box[3] > 1.0001) {
      status.textContent = "Drag a box on the screen, or type where it is: across and down from the top left, then width and height, in percent, inside the screen.";
      return;
    }
    regions.push({ id: regionId(name, new Set(regions.map((r) => r.id))), label: name, box });
    label.value = "";
    setDraft(null);
    draw();
    status.textContent = `Added ${name} (not saved yet).`;
  });
  save.addEventListener("click", async () => {
    try {
      const saved = await api(`/api/screens/${screen.id}/`, { method: "PATCH", body: { regions } });
      regions = saved.regions.map((r) => ({ ...r, box: [...r.box] }));
      draw();
      status.textContent = `Saved ${regions.length} named region${regions.length === 1 ? "" : "s"}.`;
      if (onSaved) onSaved(saved);
    } catch (err) { status.textContent = `Not saved: ${errorText(err)}`; }
  });

  draw();
  const [x, y, w, hh] = inputs;
  return h("div", { class: "region-editor", id: prefix },
    h("p", { class: "hint" }, "Participants who cannot point pick a named region from a list instead of tapping the screen."),
    stage,
    h("fieldset", { class: "region-fields" }, h("legend", {}, "New region"),
      field(`${prefix}-label`, "Name (read aloud)", label),
      h("div", { class: "region-coords" },
        field(`${prefix}-x`, "Across (%)", x), field(`${prefix}-y`, "Down (%)", y),
        field(`${prefix}-w`, "Width (%)", w), field(`${prefix}-h`, "Height (%)", hh)),
      add),
    h("h4", {}, "Regions"), list, save, status);
}
