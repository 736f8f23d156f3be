// Questionnaires a session collects (SUS, UMUX-Lite, SEQ, raw NASA-TLX, PDQI-9), asked with native,
// labelled controls so they work by touch, keyboard and screen reader. Wording comes from the API.
import { h } from "./dom.js";

let definitions = null;

export async function loadDefinitions(api) {
  if (!definitions) definitions = await api("/api/instruments/");
  return definitions;
}

const el = h;

function radios(name, legendText, [low, high, step], ends, hintId) {
  const fs = el("fieldset", { class: "q-item", "aria-describedby": hintId });
  fs.append(el("legend", { text: legendText }));
  const row = el("div", { class: "q-scale" });
  for (let v = low; v <= high; v += step) {
    const id = `${name}-${v}`;
    const label = v === low ? `${v} (${ends[0]})` : v === high ? `${v} (${ends[1]})` : String(v);
    row.append(el("span", { class: "q-choice" },
      el("input", { type: "radio", name, id, value: String(v), required: true }),
      el("label", { for: id, text: label })));
  }
  fs.append(row);
  return fs;
}

function slider(name, labelText, [low, high, step], ends) {
  const id = `${name}-range`;
  const out = el("output", { for: id, text: "50" });
  const input = el("input", { type: "range", id, name, min: String(low), max: String(high), step: String(step),
    value: "50", "aria-valuetext": `50 (${ends[0]} ${low} to ${ends[1]} ${high})` });
  input.addEventListener("input", () => {
    out.textContent = input.value;
    input.setAttribute("aria-valuetext", `${input.value} (${ends[0]} ${low} to ${ends[1]} ${high})`);
  });
  return el("div", { class: "q-item q-slider" },
    el("label", { for: id, text: labelText }), input, out,
    el("span", { class: "muted q-ends", "aria-hidden": "true", text: `${ends[0]} ← → ${ends[1]}` }));
}

/** A form for one instrument; `submit(answers)` resolves to {score} or throws with a message. */
export function questionnaireForm(name, def, { prefix = "", submit }) {
  const base = `q-${prefix}${name}`;
  const hintId = `${base}-hint`;
  const form = el("form", { class: "questionnaire", id: base, "aria-labelledby": `${base}-h`, novalidate: true });
  form.append(el("h3", { id: `${base}-h`, text: def.title }));
  const [low, high] = def.scale;
  form.append(el("p", { class: "muted", id: hintId, text: `${low} = ${def.labels[0]}, ${high} = ${def.labels[1]}.` }));
  const keys = def.items ? def.items.map((_, i) => String(i)) : Object.keys(def.fields);
  keys.forEach((key, i) => {
    const text = def.items ? `${i + 1}. ${def.items[i]}` : def.fields[key];
    const ends = (def.field_labels && def.field_labels[key]) || def.labels;
    const field = `${base}-${key}`;
    form.append(def.scale[2] > 1 ? slider(field, text, def.scale, ends) : radios(field, text, def.scale, ends, hintId));
  });
  const status = el("p", { class: "q-status", role: "status", "aria-live": "polite" });
  const send = el("button", { type: "submit", text: `Send ${def.title}` });
  form.append(send, status);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const values = keys.map((key) => {
      const field = `${base}-${key}`;
      const picked = form.querySelector(`input[name="${field}"]:checked`) || form.querySelector(`input[name="${field}"][type=range]`);
      return picked ? Number(picked.value) : null;
    });
    const missing = values.indexOf(null);
    if (missing >= 0) {
      status.textContent = `Answer question ${missing + 1} first.`;
      form.querySelector(`input[name="${base}-${keys[missing]}"]`)?.focus();
      return;
    }
    const answers = def.items ? values : Object.fromEntries(keys.map((k, i) => [k, values[i]]));
    send.disabled = true;
    status.textContent = "Sending…";
    try {
      const result = await submit(answers);
      status.textContent = `Thank you: sent (score ${Math.round(result.score * 10) / 10}). You may change and send again.`;
    } catch (err) {
      status.textContent = `Not sent: ${err.message}`;
    } finally {
      send.disabled = false;
    }
  });
  return form;
}
