// Join: enter a code (or arrive by the QR's /join/<code>), rate the screen shown, tap to pin a comment.
import { ApiError } from "../api.js";
import {
  LiveSocket, closeOnLeave, drawAggregate, drawNotes, label, pinDot, pinOf, statusPill, wsUrl,
} from "../live.js";
import { loadDefinitions, questionnaireForm } from "../questionnaires.js";
import { uuid } from "../dom.js";

let live = null;
// The room this tab is in, and the rating being drafted there: kept across a trip to another
// view (e.g. "Join session" in the top bar) so coming back loses nothing.
const ROOM_KEY = "rounds.join.room";
const draftKey = (code) => `rounds.join.draft.${code}`;

export function normalizeCode(text) {
  return String(text).toUpperCase().replace(/[^A-Z0-9]/g, "").slice(0, 6);
}

function codeFromPath() {
  const m = location.pathname.match(/^\/join\/([^/]+)\/?$/);
  return m ? normalizeCode(decodeURIComponent(m[1])) : "";
}

/** Leaving the view: close the room's socket (its status no longer has a page to show on). */
export function unmount() {
  if (live) { live.close("Left the session."); live = null; }
}

export async function render(main, ctx) {
  unmount();
  const code = codeFromPath();
  if (code) return renderRoom(main, ctx, code);
  return renderEntry(main, ctx);
}

function renderEntry(main, { navigate, state }) {
  const room = sessionStorage.getItem(ROOM_KEY);
  main.innerHTML = `
    <h1>Join a session</h1>
    <p class="offline-note" id="join-offline" role="status" hidden></p>
    <p class="card" id="return-room" hidden>You are in session <strong class="code-inline"></strong>.
      <a class="button" data-link href="">Back to the session</a></p>
    <form class="card join-entry" id="join-form" novalidate>
      <label for="join-code">Session code</label>
      <p class="muted" id="join-code-hint">6 letters or digits, shown on the facilitator's screen.</p>
      <input id="join-code" name="code" class="code-input" maxlength="6" autocomplete="off"
        autocapitalize="characters" spellcheck="false" aria-describedby="join-code-hint join-error" required>
      <p id="join-error" class="error" role="alert"></p>
      <button type="submit" id="join-submit">Join</button>
    </form>`;
  if (room) {
    const back = main.querySelector("#return-room");
    back.hidden = false;
    back.querySelector(".code-inline").textContent = room;
    back.querySelector("a").setAttribute("href", `/join/${room}`);
  }
  if (state && state.net !== "online") {
    const note = main.querySelector("#join-offline");
    note.hidden = false;
    note.textContent = state.net === "offline"
      ? "You are offline. Joining needs the server: enter the code when this device is back online."
      : "The Rounds server is not answering. Joining needs it: try again in a moment.";
  }
  const input = main.querySelector("#join-code");
  const error = main.querySelector("#join-error");
  input.addEventListener("input", () => { input.value = normalizeCode(input.value); });
  main.querySelector("#join-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const code = normalizeCode(input.value);
    if (code.length !== 6) { error.textContent = "Enter all 6 characters of the code."; input.focus(); return; }
    navigate(`/join/${code}`);
  });
  input.focus();
}

async function renderRoom(main, ctx, code) {
  if (!ctx.state.me) return renderGuest(main, ctx, code);
  main.innerHTML = `<h1>Joining <span class="code-inline"></span>…</h1>`;
  main.querySelector(".code-inline").textContent = code;
  let joined;
  try {
    joined = await ctx.api("/api/sessions/join/", { method: "POST", body: { code } });
  } catch (err) {
    return renderJoinError(main, code, err);
  }
  const room = new Room(main, ctx, code, joined);
  room.mount();
}

// Guests (no account) join sessions that allow them; the signed guest token lives in this tab only.
const guestKey = (code) => `rounds.guest.${code}`;

function renderGuest(main, ctx, code) {
  const saved = sessionStorage.getItem(guestKey(code));
  if (saved) return new Room(main, ctx, code, JSON.parse(saved)).mount();
  main.innerHTML = `
    <h1>Join session <span class="code-inline"></span></h1>
    <form class="card" id="guest-form" novalidate>
      <label for="guest-name">Your name or role (shown to the facilitator)</label>
      <input id="guest-name" maxlength="80" autocomplete="off" placeholder="e.g. Night charge nurse">
      <p id="join-error" class="error" role="alert"></p>
      <div class="row">
        <button type="submit" id="guest-join">Join as guest</button>
        <a href="/login" data-link class="button secondary" id="guest-sign-in">Sign in instead</a>
      </div>
    </form>`;
  main.querySelector(".code-inline").textContent = code;
  // Signing in from here comes back to this code (app.js follows ?next=).
  main.querySelector("#guest-sign-in").setAttribute("href", `/login?next=${encodeURIComponent(`/join/${code}`)}`);
  main.querySelector("#guest-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { code, display_name: main.querySelector("#guest-name").value.trim() };
    try {
      const joined = await ctx.api("/api/sessions/join/", { method: "POST", body });
      sessionStorage.setItem(guestKey(code), JSON.stringify(joined));
      new Room(main, ctx, code, joined).mount();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        main.querySelector("#join-error").textContent =
          "This session is for signed-in staff only: sign in to join (the code is kept).";
      } else {
        renderJoinError(main, code, err);
      }
    }
  });
  main.querySelector("#guest-name")?.focus();
}

function renderJoinError(main, code, err) {
  const missing = err instanceof ApiError && (err.status === 404 || err.status === 400);
  main.innerHTML = `
    <h1>Could not join</h1>
    <div class="card"><p class="error" role="alert" id="join-error"></p>
    <p><a href="/join" data-link class="button">Enter another code</a></p></div>`;
  let text = err.message;
  if (err instanceof ApiError && err.code === "session_ended") text = "This session has ended.";
  else if (missing) text = `No open session has the code ${code}. Check the code with your facilitator.`;
  else if (!(err instanceof ApiError)) text = "Joining needs a connection: try again when you are online.";
  main.querySelector("#join-error").textContent = text;
}

class Room {
  constructor(main, ctx, code, joined) {
    Object.assign(this, { main, ctx, code });
    const s = joined.session;
    this.session = s && typeof s === "object" ? s : { id: s };
    this.dimensions = this.session.dimensions || []; // the session's own; `state` re-sends them
    this.screen = null;
    this.visible = false;
    this.guest = joined.guest_token || null;
    this.draft = { scores: {}, pin: null, region: null };
    this.sent = new Map(); // screen id -> last accepted rating, to prefill a re-rating
    this.pending = null; // the rate frame awaiting its ack; resent after a reconnect
    this.notes = new Map(); // others' comments and pins, shown while results are visible
    this.me = null; // this participant's id (the `state` frame's `you`)
    this.mine = []; // this participant's own comments on the shown screen, always shown to them
  }

  mount() {
    sessionStorage.setItem(ROOM_KEY, this.code);
    this.main.innerHTML = ROOM_HTML;
    this.$ = (sel) => this.main.querySelector(sel);
    this.$("#room-code").textContent = this.code;
    const pill = statusPill();
    this.$("#room-status").replaceWith(pill.el);
    pill.el.id = "room-status";
    this.bindStage();
    this.$("#rate-form").addEventListener("submit", (e) => { e.preventDefault(); this.submit(); });
    this.$("#clear-pin").addEventListener("click", () => { this.setPin(null); this.setRegion(null); this.keepDraft(); });
    this.$("#rate-comment").addEventListener("input", () => this.keepDraft());
    this.$("#pin-region").addEventListener("change", (e) => this.setRegion(e.target.value || null));
    this.mountQuestionnaires();
    const query = this.guest ? `?guest=${encodeURIComponent(this.guest)}` : "";
    live = new LiveSocket(wsUrl(`/ws/sessions/${encodeURIComponent(this.code)}/${query}`), {
      onFrame: (f) => this.onFrame(f),
      onStatus: (st) => {
        pill.update(st);
        const submit = this.$("#rate-submit");
        if (submit) submit.dataset.live = st.state;
      },
    }).open();
    closeOnLeave(live, "/join");
  }

  onFrame(frame) {
    const handler = this[`on_${frame.type}`];
    if (handler) handler.call(this, frame);
  }

  on_state(frame) {
    if (frame.session && typeof frame.session === "object") {
      this.session = { ...this.session, ...frame.session };
      if (Array.isArray(frame.session.dimensions)) this.dimensions = frame.session.dimensions;
    }
    this.$("#room-title").textContent = this.session.title || "";
    // Resume: the server says what we had rated (known before the screen is drawn, so a reload
    // shows it); a rating still unacked is sent again for its own screen by the socket's page
    // queue (same client_id, so it is stored once).
    const mine = frame.you && frame.you.rating;
    if (mine && !this.sent.has(mine.screen)) this.sent.set(mine.screen, { screen: mine.screen, scores: mine.scores });
    this.showScreen(frame.screen || null);
    if (frame.you) {
      this.me = frame.you.participant;
      this.mine = (frame.you.comments || []).filter((c) => c.text && !c.withdrawn);
      this.drawMine();
    }
    this.setVisible(Boolean(frame.results_visible));
    if (frame.aggregate) this.on_aggregate(frame.aggregate);
  }

  on_screen(frame) { this.showScreen(frame.screen || null); }

  on_results_visible(frame) { this.setVisible(Boolean(frame.visible)); }

  on_aggregate(frame) {
    if (!this.screen || frame.screen !== this.screen.id) return;
    drawAggregate(this.$("#room-agg"), frame, this.dimensions);
  }

  on_comment(frame) {
    if (!this.visible || !this.screen || frame.screen !== this.screen.id) return;
    if (this.me !== null && frame.participant === this.me) return; // listed under "Your comments"
    this.notes.set(`${frame.source || "comment"}:${frame.id}`, frame); // a re-rating replaces
    drawNotes(this.notes, this.$("#others-pins"), this.$("#room-comments"));
  }

  on_ack(frame) {
    if (!this.pending || frame.client_id !== this.pending.client_id) return;
    const done = this.pending;
    // Kept: the scores (a re-rating changes them). Not kept: the comment and pin, which are now
    // stored on their own; left in the box they would be sent again with the next scores.
    this.sent.set(done.screen, { screen: done.screen, scores: done.scores });
    this.pending = null;
    sessionStorage.removeItem(draftKey(this.code));
    // The comment as stored (the ack carries it): names and numbers the guard hid stay hidden
    // here too, and the author learns that they were.
    const stored = frame.comment || null;
    const text = stored ? stored.text : done.comment;
    const hidden = Boolean(stored && stored.phi_redacted && stored.phi_redacted.length);
    if (this.screen && this.screen.id === done.screen && (done.comment || done.pin || done.region)) {
      const last = this.mine[this.mine.length - 1];
      if (text && !(last && last.text === text)) { // the server keeps one copy too
        this.mine.push({ text, pin: done.pin || null, region: done.region || null });
        this.drawMine();
      }
      this.$("#rate-comment").value = "";
      this.draft.pin = null;
      this.draft.region = null;
      this.setPin(null);
      this.setRegion(null);
    }
    this.setStatus(hidden ? "Sent ✓ Names and numbers in it were hidden before it was stored." : "Sent ✓", "ok");
  }

  on_error(frame) {
    if (frame.code === "degraded") return; // the status pill says it; ratings are still saved
    const mine = this.pending && (!frame.client_id || frame.client_id === this.pending.client_id);
    if (mine && (frame.code === "rate_limited" || frame.code === "unavailable")) {
      // The socket's queue sends the same frame again in a moment.
      this.setStatus("Busy moment: resending in a second…", "muted");
      return;
    }
    if (mine) this.pending = null;
    this.setStatus(`Not sent: ${frame.detail || "the server refused that."}`, "error");
  }

  on_ended() {
    if (this.pending && live && live.isPending(this.pending.client_id)) {
      const note = document.createElement("p");
      note.className = "error";
      note.textContent = "Your last rating was not sent before the session ended.";
      this.$("#room-ended").append(note);
    }
    this.pending = null;
    sessionStorage.removeItem(ROOM_KEY);
    sessionStorage.removeItem(draftKey(this.code));
    // Thanks for ratings only from someone who sent one (that the server accepted).
    if (this.sent.size) this.$("#room-thanks").textContent = "Thank you for your ratings.";
    this.$("#room-live").hidden = true;
    this.$("#room-ended").hidden = false;
    // Questionnaires are often answered last: they stay open after the session ends.
    const box = this.$("#questionnaires");
    if (!box.hidden) this.$("#room-ended").append(box);
    this.$("#room-ended")?.focus();
  }

  instrumentUrl() {
    const query = this.guest ? `?guest=${encodeURIComponent(this.guest)}` : "";
    return `/api/sessions/${this.session.id}/instruments/${query}`;
  }

  answer(instrument, answers, screen = null) {
    return this.ctx.api(this.instrumentUrl(), { method: "POST", body: { instrument, answers, screen } });
  }

  async mountQuestionnaires() {
    const chosen = (this.session.instruments || []).filter((n) => n !== "seq");
    this.wantsSeq = (this.session.instruments || []).includes("seq");
    if (!chosen.length && !this.wantsSeq) return;
    try { this.defs = await loadDefinitions(this.ctx.api); } catch (err) { return; }
    if (!chosen.length) { if (this.screen) this.showSeq(); return; }
    const box = this.$("#questionnaires");
    box.hidden = false;
    for (const name of chosen) {
      const details = document.createElement("details");
      const summary = document.createElement("summary");
      summary.textContent = this.defs[name].title;
      details.append(summary, questionnaireForm(name, this.defs[name], { submit: (a) => this.answer(name, a) }));
      box.append(details);
    }
    if (this.screen) this.showSeq();
  }

  showSeq() {
    const box = this.$("#seq-box");
    box.innerHTML = "";
    box.hidden = !(this.wantsSeq && this.defs && this.screen);
    if (box.hidden) return;
    const screen = this.screen.id;
    box.append(questionnaireForm("seq", this.defs.seq, {
      prefix: `s${screen}-`, submit: (a) => this.answer("seq", a, screen),
    }));
  }

  showRegions(screen) {
    const select = this.$("#pin-region");
    const regions = (screen && screen.regions) || [];
    this.$("#region-row").hidden = !regions.length;
    select.innerHTML = "";
    const none = document.createElement("option");
    none.value = "";
    none.textContent = "No part chosen";
    select.append(none);
    for (const r of regions) {
      const option = document.createElement("option");
      option.value = r.id;
      option.textContent = r.label;
      select.append(option);
    }
  }

  // Pointer-free pinning: the comment is about a named part of the screen, chosen from a list.
  setRegion(id) {
    const regions = (this.screen && this.screen.regions) || [];
    const region = regions.find((r) => r.id === id) || null;
    this.draft.region = region ? region.id : null;
    this.$("#pin-region").value = region ? region.id : "";
    const box = this.$("#region-box");
    box.hidden = !region;
    if (region) {
      this.setPin(null, { keepRegion: true });
      const [x, y, w, h] = region.box;
      Object.assign(box.style, { left: `${x * 100}%`, top: `${y * 100}%`, width: `${w * 100}%`, height: `${h * 100}%` });
      this.$("#pin-state").textContent = `Comment is about: ${region.label}.`;
      this.$("#clear-pin").hidden = false;
    }
  }

  showScreen(screen) {
    const same = screen && this.screen && screen.id === this.screen.id;
    this.screen = screen;
    this.$("#waiting").hidden = Boolean(screen);
    this.$("#rate-view").hidden = !screen;
    if (!screen || same) return;
    const img = this.$("#screen-img");
    // The screen's own size reserves its box before the image arrives (slow ward wifi), so the
    // page does not jump under a finger and a tap lands on the screen, not on what moved there.
    if (screen.width && screen.height) { img.width = screen.width; img.height = screen.height; }
    else { img.removeAttribute("width"); img.removeAttribute("height"); }
    // Until the picture is there, say so and take no pin: a pin must be placed on what was seen.
    this.setLoading("Loading the screen…");
    img.src = screen.image_url;
    const wanted = img.src; // absolute: a later screen's load must not clear this one's note
    img.onload = () => { if (img.src === wanted) this.setLoading(null); };
    img.onerror = () => {
      if (img.src === wanted) this.setLoading("The screen did not load. Reload the page to try again.");
    };
    img.alt = `Prototype screen: ${screen.title || ""}`;
    // Fit the screen in ~60% of the viewport height so the score buttons stay within reach.
    const ratio = screen.width && screen.height ? screen.width / screen.height : 0;
    this.$("#stage").style.maxWidth = ratio ? `calc(60vh * ${ratio.toFixed(4)})` : "";
    this.$("#screen-title").textContent = `${screen.title || "Screen"}${screen.version ? ` · v${screen.version}` : ""}`;
    this.$("#room-agg").innerHTML = "";
    this.clearNotes();
    this.mine = [];
    this.drawMine();
    const previous = this.sent.get(screen.id) || this.keptDraft(screen.id);
    this.draft = { scores: { ...(previous ? previous.scores : {}) }, pin: previous ? previous.pin || null : null, region: null };
    this.$("#rate-comment").value = previous ? previous.comment || "" : "";
    this.buildScores();
    this.showRegions(screen);
    this.setPin(this.draft.pin);
    this.setRegion(previous ? previous.region || null : null);
    this.showSeq();
    const note = this.sent.has(screen.id) ? "You rated this screen; you may change your rating."
      : previous ? "Your unsent rating is back: submit it when ready." : "";
    this.setStatus(note, "muted");
  }

  keepDraft() {
    if (!this.screen) return;
    const comment = this.$("#rate-comment") ? this.$("#rate-comment").value : "";
    sessionStorage.setItem(draftKey(this.code), JSON.stringify({ screen: this.screen.id, ...this.draft, comment }));
  }

  keptDraft(screenId) {
    try {
      const d = JSON.parse(sessionStorage.getItem(draftKey(this.code)) || "null");
      return d && d.screen === screenId ? d : null;
    } catch (err) { return null; }
  }

  buildScores() {
    const box = this.$("#scores");
    box.innerHTML = "";
    for (const dim of this.dimensions) box.appendChild(this.scoreRow(dim));
    this.updateSubmit();
  }

  scoreRow(dim) {
    const fs = document.createElement("fieldset");
    fs.className = "score-row";
    fs.dataset.dimension = dim;
    const legend = document.createElement("legend");
    legend.textContent = label(dim);
    const buttons = document.createElement("div");
    buttons.className = "score-buttons";
    for (let n = 1; n <= 5; n += 1) {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "score";
      b.textContent = String(n);
      b.dataset.score = String(n);
      b.setAttribute("aria-label", `${label(dim)} ${n} of 5`);
      b.setAttribute("aria-pressed", String(this.draft.scores[dim] === n));
      b.addEventListener("click", () => this.choose(dim, n, buttons));
      buttons.appendChild(b);
    }
    fs.append(legend, buttons);
    return fs;
  }

  choose(dim, n, buttons) {
    this.draft.scores[dim] = n;
    this.keepDraft();
    buttons.querySelectorAll("button").forEach((b) => {
      b.setAttribute("aria-pressed", String(Number(b.dataset.score) === n));
    });
    this.updateSubmit();
  }

  updateSubmit() {
    this.$("#rate-submit").disabled = !Object.keys(this.draft.scores).length;
  }

  setLoading(message) {
    const note = this.$("#stage-loading");
    note.textContent = message || "";
    note.hidden = !message;
    this.$("#stage").dataset.loading = message ? "true" : "false";
  }

  bindStage() {
    const stage = this.$("#stage");
    const img = this.$("#screen-img");
    img.addEventListener("click", (event) => {
      if (stage.dataset.loading === "true") return; // not on a screen nobody has seen yet
      const r = img.getBoundingClientRect();
      this.setPin({ x: clamp((event.clientX - r.left) / r.width), y: clamp((event.clientY - r.top) / r.height) });
    });
    stage.addEventListener("keydown", (event) => this.pinKey(event));
  }

  // Keyboard pinning: Enter/Space drops a pin in the middle, arrows move it in 5% steps.
  pinKey(event) {
    if (this.$("#stage").dataset.loading === "true") return;
    const steps = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      if (!this.draft.pin) this.setPin({ x: 0.5, y: 0.5 });
    } else if (steps[event.key] && this.draft.pin) {
      event.preventDefault();
      const [dx, dy] = steps[event.key];
      this.setPin({ x: clamp(this.draft.pin.x + dx * 0.05), y: clamp(this.draft.pin.y + dy * 0.05) });
    }
  }

  setPin(pin, { keepRegion = false } = {}) {
    this.draft.pin = pin;
    if (pin && !keepRegion) this.setRegion(null);
    const dot = this.$("#my-pin");
    dot.hidden = !pin;
    this.$("#clear-pin").hidden = !pin;
    if (pin) { dot.style.left = `${pin.x * 100}%`; dot.style.top = `${pin.y * 100}%`; this.keepDraft(); }
    this.$("#pin-state").textContent = pin
      ? `Pin placed at ${Math.round(pin.x * 100)}% across, ${Math.round(pin.y * 100)}% down.`
      : this.noPinText();
  }

  noPinText() {
    return this.$("#sent-pins").children.length
      ? "No new pin placed. The lettered pins are the ones you sent."
      : "No pin placed.";
  }

  submit() {
    if (!this.screen || !Object.keys(this.draft.scores).length) return;
    const frame = { type: "rate", screen: this.screen.id, scores: { ...this.draft.scores }, client_id: uuid() };
    const comment = this.$("#rate-comment").value.trim();
    if (comment) frame.comment = comment;
    if (this.draft.pin) frame.pin = { ...this.draft.pin };
    else if (this.draft.region) frame.region = this.draft.region;
    this.pending = frame;
    if (live && live.queue(frame)) this.setStatus("Sending…", "muted");
    else this.setStatus("Not connected yet: your rating is kept and sent when the connection is back.", "muted");
  }

  setVisible(visible) {
    this.visible = visible;
    this.$("#results").hidden = !visible;
    if (!visible) this.clearNotes();
  }

  // The participant's own comments: theirs to see whether or not results are shown (the server
  // sends others' comments only while they are).
  // The participant's own sent comments: each pinned one keeps its pin on the screen, lettered
  // like its line under "Your comments" (the walk found the pin gone once the rating was sent).
  // Letters, not digits: the facilitator numbers everyone's pins, and "pin 3" must not name a
  // different pin on this phone.
  drawMine() {
    const list = this.$("#my-comments");
    const pins = this.$("#sent-pins");
    pins.replaceChildren();
    let numbered = 0; // A, B, …, Z, AA, AB, …
    list.replaceChildren(...this.mine.map((c) => {
      const li = document.createElement("li");
      const pin = pinOf(c);
      if (pin) {
        const n = letter(numbered++);
        const dot = pinDot(pin, c.text);
        dot.classList.add("numbered", "sent");
        dot.textContent = n;
        pins.append(dot);
        const tag = document.createElement("span");
        tag.className = "pin-n sent";
        tag.textContent = n;
        tag.setAttribute("aria-label", `Your pin ${n}:`);
        li.append(tag, " ");
      }
      li.append(c.text);
      if (!pin && c.region) {
        const where = document.createElement("span");
        where.className = "muted";
        where.textContent = " (about a part of the screen)";
        li.append(where);
      }
      return li;
    }));
    this.$("#my-notes").hidden = !this.mine.length;
    if (!this.draft || !this.draft.pin) this.$("#pin-state").textContent = this.noPinText();
  }

  clearNotes() {
    this.notes.clear();
    this.$("#room-comments").innerHTML = "";
    this.$("#others-pins").innerHTML = "";
  }

  setStatus(text, kind) {
    const el = this.$("#rate-status");
    el.textContent = text;
    el.className = kind || "";
  }
}

function clamp(v) {
  return Math.min(1, Math.max(0, Number.isFinite(v) ? v : 0));
}

const ROOM_HTML = `
  <div class="room-head row">
    <h1>Session <span class="code-inline" id="room-code"></span></h1>
    <span id="room-status"></span>
  </div>
  <p id="room-title" class="muted"></p>
  <div id="room-live">
    <section id="waiting" class="card waiting" aria-live="polite"><p>Waiting for the facilitator…</p></section>
    <section id="rate-view" hidden aria-labelledby="screen-title">
      <h2 id="screen-title"></h2>
      <p class="muted" id="pin-hint">Tap the screen to pin your comment to a spot (keyboard: Enter, then arrows).</p>
      <div class="screen-stage" id="stage" tabindex="0" role="group"
        aria-label="Screen being rated: tap or press Enter to place a pin" aria-describedby="pin-state">
        <img id="screen-img" alt="" draggable="false">
        <p class="stage-loading" id="stage-loading" role="status" hidden></p>
        <div class="region-box" id="region-box" hidden aria-hidden="true"></div>
        <div class="pins-layer" id="others-pins"></div>
        <div class="pins-layer" id="sent-pins" aria-hidden="true"></div>
        <span class="pin-dot mine" id="my-pin" hidden></span>
      </div>
      <div class="field" id="region-row" hidden>
        <label for="pin-region">Or choose the part of the screen your comment is about</label>
        <select id="pin-region"></select>
      </div>
      <div class="row pin-row">
        <span id="pin-state" class="muted" aria-live="polite">No pin placed.</span>
        <button type="button" class="secondary" id="clear-pin" hidden>Remove pin</button>
      </div>
      <form id="rate-form" class="card" novalidate>
        <p class="muted" id="scale-note">For each: 1 (poor) to 5 (excellent).</p>
        <div id="scores"></div>
        <label for="rate-comment">Comment (optional)</label>
        <textarea id="rate-comment" maxlength="2000" placeholder="What would help? No patient details, please."></textarea>
        <div class="row">
          <button type="submit" id="rate-submit" disabled>Submit rating</button>
          <span id="rate-status" role="status" aria-live="polite"></span>
        </div>
      </form>
      <section id="my-notes" class="card" hidden aria-labelledby="my-notes-h">
        <h2 id="my-notes-h">Your comments</h2>
        <p class="muted">The facilitator sees them as you send them.</p>
        <ul id="my-comments" class="comments"></ul>
      </section>
      <div id="seq-box" class="card" hidden></div>
    </section>
    <section id="questionnaires" class="card" hidden aria-label="Questionnaires"></section>
    <section id="results" class="card" hidden aria-labelledby="results-h">
      <h2 id="results-h">Results so far</h2>
      <div id="room-agg" class="aggregate"></div>
      <ul id="room-comments" class="comments"></ul>
    </section>
  </div>
  <section id="room-ended" class="card" hidden tabindex="-1">
    <h2>The session has ended</h2>
    <p id="room-thanks">Thank you for joining.</p>
    <p><a href="/join" data-link class="button">Join another session</a></p>
  </section>`;

/** 0 → "A", 25 → "Z", 26 → "AA": a participant's own pins, apart from the console's numbers. */
function letter(index) {
  let n = index + 1;
  let out = "";
  while (n > 0) { n -= 1; out = String.fromCharCode(65 + (n % 26)) + out; n = Math.floor(n / 26); }
  return out;
}
