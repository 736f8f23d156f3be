// Redaction on the device: boxes drawn by finger or mouse over the photo are burnt in as solid black
// before the photo is re-encoded, so unredacted pixels never reach IndexedDB or the network.
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
    this.boxes = [];
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
    fillBoxes(ctx, this.boxes, width, height);
    if (this.draft) {
      ctx.fillStyle = "rgba(0,0,0,.6)";
      const [x, y, w, h] = this.draft;
      ctx.fillRect(x * width, y * height, w * width, h * height);
    }
  }

  undo() {
    this.boxes.pop();
    this.draw();
  }

  /** The redacted photo as a fresh JPEG (no EXIF, orientation baked in) and its boxes. */
  async result() {
    const [width, height] = fit(this.bitmap.width, this.bitmap.height, MAX_EDGE);
    const canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext("2d");
    ctx.drawImage(this.bitmap, 0, 0, width, height);
    fillBoxes(ctx, this.boxes, width, height);
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.9));
    if (!blob) throw new Error("The photo could not be prepared; try a smaller one.");
    return { blob, boxes: this.boxes.map((b) => [...b]), width, height };
  }
}
