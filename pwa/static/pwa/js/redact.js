// Redaction on the device: boxes drawn by finger or mouse over the photo, and the boxes the server
// suggested (faces, PHI text), are burnt in as solid black before the photo is re-encoded, so those
// pixels never reach IndexedDB or the upload.
const MAX_EDGE = 2560; // the server keeps no more than this; storing more only fills the tablet
const VIEW_EDGE = 1280;
const MIN_BOX = 0.01; // ignore taps: a box must be at least 1% wide and tall

/** Decode a photo with its orientation applied (what the user sees is what the boxes refer to). */
export async function decode(file) {
  try {
    return await createImageBitmap(file, { imageOrientation: "from-image" });
  } catch (err) {
    throw new Error("This file is not a photo Rounds can read: use JPEG, PNG or WebP.");
  }
}

function fit(width, height, edge) {
  const scale = Math.min(1, edge / Math.max(width, height));
  return [Math.max(1, Math.round(width * scale)), Math.max(1, Math.round(height * scale))];
}

function fillBoxes(ctx, boxes, width, height) {
  ctx.fillStyle = "#000";
  for (const [x, y, w, h] of boxes) {
    // Round outwards so a box never leaves a sliver of the pixels it was drawn over.
    const left = Math.floor(x * width);
    const top = Math.floor(y * height);
    ctx.fillRect(left, top, Math.ceil((x + w) * width) - left, Math.ceil((y + h) * height) - top);
  }
}

export class Redactor {
  constructor(container, bitmap) {
    this.bitmap = bitmap;
    this.boxes = []; // drawn by the user (undo removes the last)
    this.suggested = []; // found by the server: {kind, type?, box}; always filled
    this.draft = null;
    this.canvas = document.createElement("canvas");
    this.canvas.className = "redact-canvas";
    this.canvas.setAttribute("role", "img");
    this.canvas.setAttribute("aria-label", "Photo: drag over anything that identifies a person to black it out");
    [this.canvas.width, this.canvas.height] = fit(bitmap.width, bitmap.height, VIEW_EDGE);
    container.replaceChildren(this.canvas);
    this.listen();
    this.draw();
  }

  point(event) {
    const rect = this.canvas.getBoundingClientRect();
    const clamp = (v) => Math.min(1, Math.max(0, v));
    return [clamp((event.clientX - rect.left) / rect.width), clamp((event.clientY - rect.top) / rect.height)];
  }

  listen() {
    const c = this.canvas;
    c.addEventListener("pointerdown", (e) => {
      c.setPointerCapture(e.pointerId);
      this.origin = this.point(e);
      this.draft = [...this.origin, 0, 0];
    });
    c.addEventListener("pointermove", (e) => {
      if (!this.draft) return;
      const [px, py] = this.point(e);
      const [ox, oy] = this.origin;
      this.draft = [Math.min(ox, px), Math.min(oy, py), Math.abs(px - ox), Math.abs(py - oy)];
      this.draw();
    });
    const finish = () => {
      if (this.draft && this.draft[2] >= MIN_BOX && this.draft[3] >= MIN_BOX) this.boxes.push(this.draft);
      this.draft = null;
      this.draw();
      c.dispatchEvent(new CustomEvent("redact:change", { bubbles: true, detail: this.boxes.length }));
    };
    c.addEventListener("pointerup", finish);
    c.addEventListener("pointercancel", finish);
  }

  draw() {
    const { width, height } = this.canvas;
    const ctx = this.canvas.getContext("2d");
    ctx.drawImage(this.bitmap, 0, 0, width, height);
    fillBoxes(ctx, [...this.suggestedBoxes(), ...this.boxes], width, height);
    outlineSuggestions(ctx, this.suggested, width, height);
    if (this.draft) {
      ctx.fillStyle = "rgba(0,0,0,.6)";
      const [x, y, w, h] = this.draft;
      ctx.fillRect(x * width, y * height, w * width, h * height);
    }
  }

  /** Show the server's boxes (faces, PHI text) filled on the preview; they are burnt in on save. */
  suggest(found) {
    this.suggested = found.map(({ kind, type, box }) => ({ kind, type, box: [...box] }));
    this.draw();
  }

  suggestedBoxes() {
    return this.suggested.map((s) => s.box);
  }

  undo() {
    this.boxes.pop();
    this.draw();
  }

  /** The redacted photo as a fresh JPEG (no EXIF, orientation baked in) and the user's boxes. */
  async result() {
    const { blob, width, height } = await this.jpeg([...this.suggestedBoxes(), ...this.boxes]);
    return { blob, boxes: this.boxes.map((b) => [...b]), width, height };
  }

  /** The photo as the server will receive it, with `boxes` filled (none: for the PHI check). */
  async jpeg(boxes = []) {
    const [width, height] = fit(this.bitmap.width, this.bitmap.height, MAX_EDGE);
    const canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext("2d");
    ctx.drawImage(this.bitmap, 0, 0, width, height);
    fillBoxes(ctx, boxes, width, height);
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.9));
    if (!blob) throw new Error("The photo could not be prepared; try a smaller one.");
    return { blob, width, height };
  }
}

// A suggested box gets a yellow edge and a small label, so the user can tell it from their own.
function outlineSuggestions(ctx, suggested, width, height) {
  ctx.save();
  ctx.strokeStyle = "#ffd21f";
  ctx.lineWidth = 2;
  ctx.setLineDash([6, 4]);
  ctx.font = `bold ${Math.max(12, Math.round(width / 60))}px system-ui, sans-serif`; // ~12 CSS px
  for (const { kind, type, box: [x, y, w, h] } of suggested) {
    ctx.strokeRect(x * width + 1, y * height + 1, w * width - 2, h * height - 2);
    const label = kind === "face" ? "face" : type || "text";
    ctx.fillStyle = "#ffd21f";
    ctx.fillText(label, x * width + 4, Math.min(height - 4, y * height + h * height - 5));
  }
  ctx.restore();
}
