// Facilitate: set up a session (tool, screens, uploads, guests), then run it live from the console.
import { ApiError } from "../api.js";
import { h, plural } from "../dom.js";
import {
  LiveSocket, closeOnLeave, drawAggregate, drawNotes, items, pinOf, statusPill, wsUrl,
} from "../live.js";

const RECENT_MAX = 10;
let live = null;

/** Leaving the console closes its socket. */
export function unmount() {
  if (live) { live.close("Left the console."); live = null; }
  document.getElementById("fs-code")?.close();
}

export async function render(main, ctx) {
  unmount();
  const m = location.pathname.match(/^\/facilitate\/(\d+)\/?$/);
  if (m) return new Console(main, ctx, Number(m[1])).mount();
  return new Setup(main, ctx).mount();
}

function recentKey(me) { return `rounds.sessions.${me.id}`; }

function recentSessions(me) {
  try { return JSON.parse(localStorage.getItem(recentKey(me)) || "[]"); } catch (err) { return []; }
}

function remember(me, s) {
  const list = [s, ...recentSessions(me).filter((r) => r.id !== s.id)].slice(0, RECENT_MAX);
  localStorage.setItem(recentKey(me), JSON.stringify(list));
}

/** The sessions `me` facilitates, newest first: from the server (any device's sessions, kept
 *  here for next time), else the ones this device remembers. */
async function ownSessions(ctx) {
  const me = ctx.state.me;
  try {
    const page = await ctx.api(`/api/sessions/?mine=true&page_size=${RECENT_MAX}`);
    const list = items(page).map(({ id, code, title, state, created_at }) => ({ id, code, title, state, created_at }));
    localStorage.setItem(recentKey(me), JSON.stringify(list));
    return list;
  } catch (err) {
    return recentSessions(me);
  }
}

/** A live session opens its console, an ended one its results (one remembered without a state
 *  opens the console, which gives way to the results once ended). */
function sessionLink(s) {
  const ended = s.state === "ended";
  const when = s.created_at ? new Date(s.created_at).toLocaleDateString() : "";
  const note = ended ? `ended, results${when ? ` · ${when}` : ""}` : `${s.code}${s.state ? " · live" : ""}`;
  return h("li", { dataset: { session: s.id, state: s.state || "" } },
    h("a", { href: ended ? `/sessions/${s.id}` : `/facilitate/${s.id}`, dataset: { link: "" } }, s.title),
    " ", h("span", { class: "muted" }, `— ${note}`));
}

/** For a huddle room: the join code and a QR code filling the screen (the browser's own full
 *  screen where it allows it). Escape, the Close button or leaving full screen closes it. */
function showCodeFullScreen({ code, url, qr, title }) {
  const close = h("button", { type: "submit", id: "fs-code-close", class: "secondary" }, "Close");
  const dlg = h("dialog", { class: "fs-code", id: "fs-code", "aria-labelledby": "fs-code-title" },
    h("form", { method: "dialog" },
      h("h2", { id: "fs-code-title" }, title ? `Join “${title}”` : "Join the session"),
      h("p", { class: "fs-code-url" }, `Scan the square, or open ${url.replace(/\/join\/[^/]+\/?$/, "/join")} and type`),
      h("p", { class: "fs-code-big", id: "fs-code-value" }, code),
      h("img", { class: "fs-code-qr", src: qr, alt: "QR code of the join link" }),
      close));
  const leftFullScreen = () => { if (!document.fullscreenElement && dlg.open) dlg.close(); };
  dlg.addEventListener("close", () => {
    document.removeEventListener("fullscreenchange", leftFullScreen);
    if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
    dlg.remove();
    document.getElementById("c-fullscreen")?.focus();
  });
  document.body.append(dlg);
  dlg.showModal();
  close.focus();
  const full = document.documentElement.requestFullscreen?.();
  if (full) {
    full.then(() => document.addEventListener("fullscreenchange", leftFullScreen)).catch(() => {});
  }
  return dlg;
}

function fieldErrors(err) {
  if (!(err instanceof ApiError)) return err.message;
  const parts = Object.entries(err.errors || {}).map(([f, msgs]) => `${f}: ${[].concat(msgs).join(" ")}`);
  return parts.length ? `${err.message} ${parts.join("; ")}` : err.message;
}

class Setup {
  constructor(main, ctx) {
    Object.assign(this, { main, ctx });
    this.screens = [];
    this.$ = (sel) => main.querySelector(sel);
  }

  async mount() {
    this.main.innerHTML = SETUP_HTML;
    const canAddTool = (this.ctx.state.me.permissions || []).includes("reference_edit");
    this.$("#new-tool").hidden = !canAddTool;
    this.renderRecent(); // not awaited: the form needs no list
    this.$("#s-tool").addEventListener("change", () => this.loadScreens());
    this.$("#new-tool-add").addEventListener("click", () => this.addTool());
    this.$("#up-submit").addEventListener("click", () => this.upload());
    this.$("#session-form").addEventListener("submit", (e) => { e.preventDefault(); this.create(); });
    await this.loadTools();
  }

  async renderRecent() {
    const list = await ownSessions(this.ctx);
    const box = this.$("#recent");
    if (!box || !box.isConnected) return; // left the view meanwhile
    box.hidden = !list.length;
    box.querySelector("ul").replaceChildren(...list.map(sessionLink));
  }

  async loadTools(selectId) {
    const select = this.$("#s-tool");
    try {
      const tools = items(await this.ctx.api("/api/tools/"));
      select.innerHTML = tools.length ? "" : '<option value="">No AI tools yet</option>';
      for (const t of tools) select.add(new Option(t.name, t.id, false, t.id === selectId));
    } catch (err) {
      this.$("#s-error").textContent = `Could not load tools: ${err.message}`;
    }
    await this.loadScreens();
  }

  async addTool() {
    const input = this.$("#new-tool-name");
    const name = input.value.trim();
    if (!name) { this.$("#tool-status").textContent = "Give the tool a name."; return; }
    try {
      const tool = await this.ctx.api("/api/tools/", { method: "POST", body: { name } });
      input.value = "";
      this.$("#tool-status").textContent = `Added ${tool.name}.`;
      await this.loadTools(tool.id);
    } catch (err) {
      this.$("#tool-status").textContent = fieldErrors(err);
    }
  }

  async loadScreens() {
    const tool = this.$("#s-tool").value;
    this.screens = [];
    if (tool) {
      try {
        this.screens = items(await this.ctx.api(`/api/tools/${tool}/screens/`));
      } catch (err) {
        this.$("#s-error").textContent = `Could not load screens: ${err.message}`;
      }
    }
    this.$("#up-fields").disabled = !tool;
    this.drawScreens(new Set());
  }

  drawScreens(checked) {
    const box = this.$("#screen-picks");
    box.innerHTML = "";
    this.$("#no-screens").hidden = this.screens.length > 0;
    for (const s of this.screens) {
      const label = document.createElement("label");
      label.className = "screen-pick";
      label.innerHTML = `<input type="checkbox" name="screens"><img alt=""><span></span>`;
      label.querySelector("input").value = s.id;
      label.querySelector("input").checked = checked.has(s.id);
      label.querySelector("img").src = s.thumb_url || s.image_url;
      label.querySelector("span").textContent = `${s.title} · v${s.version}`;
      box.appendChild(label);
    }
  }

  async upload() {
    const file = this.$("#up-image").files[0];
    const status = this.$("#up-status");
    const title = this.$("#up-title").value.trim();
    if (!file || !title) { status.textContent = "Choose an image and give it a title."; status.className = "error"; return; }
    const form = new FormData();
    form.append("image", file);
    form.append("title", title);
    form.append("version", this.$("#up-version").value.trim() || "1");
    status.textContent = "Uploading…";
    status.className = "muted";
    try {
      const screen = await this.ctx.api(`/api/tools/${this.$("#s-tool").value}/screens/`, { method: "POST", form });
      const checked = this.checkedIds();
      checked.add(screen.id);
      // The same image again answers with the screen already stored: tick it, list it once.
      const known = this.screens.some((s) => s.id === screen.id);
      if (!known) this.screens.push(screen);
      this.drawScreens(checked);
      this.$("#up-image").value = "";
      this.$("#up-title").value = "";
      status.textContent = known ? `That image is already screen “${screen.title}”; it is ticked.`
        : `Uploaded ${screen.title}.`;
      status.className = "ok";
    } catch (err) {
      status.textContent = fieldErrors(err);
      status.className = "error";
    }
  }

  checkedIds() {
    return new Set([...this.main.querySelectorAll("#screen-picks input:checked")].map((i) => Number(i.value)));
  }

  payload() {
    const body = {
      title: this.$("#s-title").value.trim(),
      tool: Number(this.$("#s-tool").value),
      screens: [...this.checkedIds()],
      allow_guests: this.$("#s-guests").checked,
    };
    const dims = this.$("#s-dims").value.split(",").map((d) => d.trim().toLowerCase().replace(/\s+/g, "_")).filter(Boolean);
    if (dims.length) body.dimensions = dims; // empty: the server's default set
    return body;
  }

  async create() {
    const error = this.$("#s-error");
    const body = this.payload();
    error.textContent = "";
    if (!body.title) { error.textContent = "Give the session a title."; return; }
    if (!body.tool) { error.textContent = "Pick the AI tool under design."; return; }
    if (!body.screens.length) { error.textContent = "Tick at least one screen to rate."; return; }
    try {
      const s = await this.ctx.api("/api/sessions/", { method: "POST", body });
      remember(this.ctx.state.me, { id: s.id, code: s.code, title: body.title, state: s.state, created_at: s.created_at });
      this.ctx.navigate(`/facilitate/${s.id}`);
    } catch (err) {
      error.textContent = fieldErrors(err);
    }
  }
}

class Console {
  constructor(main, ctx, id) {
    Object.assign(this, { main, ctx, id });
    this.$ = (sel) => main.querySelector(sel);
    this.screens = [];
    this.current = null;
    this.visible = false;
    this.dimensions = []; // the session's own, from its detail
    this.aggregates = new Map(); // screen id -> last aggregate frame
    this.notes = new Map(); // "source:id" -> comment frame of the current screen (re-rating replaces)
  }

  async mount() {
    this.main.innerHTML = '<p class="loading">Loading the session…</p>';
    let s;
    try {
      s = await this.ctx.api(`/api/sessions/${this.id}/`);
    } catch (err) {
      this.main.innerHTML = `<h1>Session unavailable</h1><div class="card"><p class="error" role="alert"></p>
        <p><a class="button" href="/facilitate" data-link>Back to Facilitate</a></p></div>`;
      this.main.querySelector(".error").textContent = err.status === 404 ? "No such session, or it is not yours." : err.message;
      return;
    }
    this.session = s;
    if (Array.isArray(s.dimensions)) this.dimensions = s.dimensions;
    // An ended session opens on its results.
    if (s.state && s.state !== "open") { this.ctx.navigate(`/sessions/${this.id}`); return; }
    this.screens = await this.resolveScreens(s);
    this.draw(s);
    this.connect(s.code);
  }

  // The session detail may list screens as objects or ids; fall back to the tool's screens.
  async resolveScreens(s) {
    const listed = Array.isArray(s.screens) ? s.screens : [];
    if (listed.length && typeof listed[0] === "object") return listed;
    const toolId = s.tool && typeof s.tool === "object" ? s.tool.id : s.tool;
    if (!toolId) return [];
    try {
      const all = items(await this.ctx.api(`/api/tools/${toolId}/screens/`));
      const ids = new Set(listed.map(Number));
      return ids.size ? all.filter((x) => ids.has(x.id)) : all;
    } catch (err) {
      return [];
    }
  }

  draw(s) {
    this.main.innerHTML = CONSOLE_HTML;
    this.$("#c-title").textContent = s.title || "Live session";
    this.$("#c-code").textContent = s.code;
    const join = this.$("#c-join-url");
    join.href = s.join_url || `/join/${s.code}`;
    join.textContent = s.join_url || `${location.origin}/join/${s.code}`;
    this.$("#c-qr").src = `/api/sessions/${this.id}/qr.svg`;
    this.$("#c-fullscreen").addEventListener("click", () => showCodeFullScreen({
      code: s.code, url: join.textContent, qr: `/api/sessions/${this.id}/qr.svg`, title: s.title,
    }));
    this.pill = statusPill();
    this.$("#c-status").replaceWith(this.pill.el);
    this.pill.el.id = "c-status";
    this.drawPicker();
    this.$("#c-reveal").addEventListener("click", () => this.send({ type: "reveal_results", visible: !this.visible }));
    this.$("#c-end").addEventListener("click", () => this.confirmEnd());
    this.$("#c-quorum-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const value = this.$("#c-quorum").value.trim();
      this.send({ type: "set_quorum", quorum: value ? Number(value) : null });
    });
  }

  // Blind-first quorum (docs/sessions.md): the server reveals results on the rating that reaches it.
  setQuorum(quorum) {
    this.$("#c-quorum").value = quorum ? String(quorum) : "";
    this.$("#c-quorum-note").textContent = quorum
      ? `Results show by themselves once ${plural(quorum, "participant")} rated the shown screen.`
      : "No quorum: results show when you reveal them.";
  }

  on_quorum(frame) { this.setQuorum(frame.quorum); }

  drawPicker() {
    const picker = this.$("#c-picker");
    picker.innerHTML = this.screens.length ? "" : '<p class="muted">This session has no screens.</p>';
    for (const screen of this.screens) {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "screen-choice secondary";
      b.dataset.screen = screen.id;
      b.innerHTML = "<img alt=''><span></span>";
      b.querySelector("img").src = screen.thumb_url || screen.image_url;
      b.querySelector("span").textContent = `${screen.title} · v${screen.version}`;
      b.setAttribute("aria-pressed", "false");
      b.addEventListener("click", () => {
        // Hide the last screen's numbers first, so nobody anchors on them (the server leaves
        // visibility to the facilitator).
        if (this.visible) this.send({ type: "reveal_results", visible: false });
        this.send({ type: "show_screen", screen: screen.id });
      });
      picker.appendChild(b);
    }
  }

  connect(code) {
    live = new LiveSocket(wsUrl(`/ws/sessions/${encodeURIComponent(code)}/`), {
      onFrame: (f) => { const h = this[`on_${f.type}`]; if (h) h.call(this, f); },
      onStatus: (st) => this.pill.update(st),
    }).open();
    closeOnLeave(live, `/facilitate/${this.id}`);
  }

  send(frame) {
    if (!live || !live.send(frame)) this.ctx.toast("Not connected: try again when the status says Live.");
  }

  on_state(frame) {
    if (frame.session && Array.isArray(frame.session.dimensions)) this.dimensions = frame.session.dimensions;
    this.setVisible(Boolean(frame.results_visible));
    if ("quorum" in frame) this.setQuorum(frame.quorum);
    if (frame.aggregate) this.aggregates.set(frame.aggregate.screen, frame.aggregate);
    this.showScreen(frame.screen || null, true);
  }

  on_screen(frame) { this.showScreen(frame.screen || null, false); }

  on_presence(frame) { this.$("#c-presence").textContent = String(frame.count ?? 0); }

  on_results_visible(frame) { this.setVisible(Boolean(frame.visible)); }

  on_aggregate(frame) {
    this.aggregates.set(frame.screen, frame);
    if (!this.current || frame.screen !== this.current.id) return;
    drawAggregate(this.$("#c-agg"), frame, this.dimensions);
  }

  on_comment(frame) {
    if (!this.current || frame.screen !== this.current.id) return;
    this.notes.set(noteKey(frame), frame);
    this.drawNotes();
  }

  on_comment_changed(frame) {
    const note = frame.comment || {};
    const key = noteKey({ source: "comment", id: note.id });
    if (!this.notes.has(key)) return;
    this.notes.set(key, { ...this.notes.get(key), ...note, source: "comment" });
    this.drawNotes();
  }

  on_comment_removed(frame) {
    if (this.notes.delete(noteKey({ source: "comment", id: frame.comment }))) this.drawNotes();
  }

  on_ended() { this.onEnded(); }

  on_error(frame) { this.ctx.toast(frame.detail || "The server refused that."); }

  showScreen(screen, resumed) {
    const changed = !this.current || !screen || screen.id !== this.current.id;
    this.current = screen;
    this.$("#c-noscreen").hidden = Boolean(screen);
    this.$("#c-stage").hidden = !screen;
    this.$("#c-stage-wrap").hidden = !screen; // no "0 pins on this screen" before any screen
    this.main.querySelectorAll("#c-picker button").forEach((b) => {
      b.setAttribute("aria-pressed", String(Boolean(screen) && Number(b.dataset.screen) === screen.id));
    });
    if (!screen) return;
    if (changed) {
      const img = this.$("#c-img");
      img.src = screen.image_url;
      img.alt = `Screen shown: ${screen.title || ""}`;
      this.$("#c-screen-title").textContent = `${screen.title || "Screen"}${screen.version ? ` · v${screen.version}` : ""}`;
      this.notes.clear();
      this.drawNotes();
      drawAggregate(this.$("#c-agg"), this.aggregates.get(screen.id) || { count: 0 }, this.dimensions);
    }
    if (changed || resumed) this.refresh(); // after a reconnect, catch up on what we missed
  }

  drawNotes() {
    const count = drawNotes(this.notes, this.$("#c-pins"), this.$("#c-comments"));
    this.$("#c-pin-count").textContent = String(count);
    this.$("#c-pin-word").textContent = count === 1 ? "pin" : "pins";
  }

  // The summary is the record of a screen: after a (re)connect, pins and comments are redrawn from it.
  async refresh() {
    const screen = this.current;
    if (!screen) return;
    let summary;
    try { summary = await this.ctx.api(`/api/sessions/${this.id}/summary/`); } catch (err) { return; }
    const list = Array.isArray(summary) ? summary : summary.screens || summary.results || [];
    const entry = list.find((e) => (e.screen && typeof e.screen === "object" ? e.screen.id : e.screen) === screen.id);
    if (!entry || !this.current || this.current.id !== screen.id) return;
    this.notes.clear();
    // Comments in the summary carry their pins; `pins` also lists pins that came without text.
    for (const c of entry.comments || []) this.notes.set(noteKey(c), c);
    (entry.pins || []).forEach((p, i) => {
      const pin = pinOf(p);
      const dup = [...this.notes.values()].some((n) => { const q = pinOf(n); return q && q.x === pin.x && q.y === pin.y; });
      if (pin && !dup) this.notes.set(`pin:${i}`, { pin });
    });
    this.drawNotes();
    const known = this.aggregates.get(screen.id);
    if (!known || (entry.count ?? 0) >= (known.count ?? 0)) {
      drawAggregate(this.$("#c-agg"), entry, this.dimensions);
    }
  }

  setVisible(visible) {
    this.visible = visible;
    const b = this.$("#c-reveal");
    b.setAttribute("aria-pressed", String(visible));
    b.textContent = visible ? "Hide results" : "Reveal results";
    this.$("#c-visibility").textContent = visible ? "Participants see the results." : "Results are hidden from participants.";
  }

  confirmEnd() {
    const b = this.$("#c-end");
    if (b.dataset.confirm) { this.send({ type: "end" }); return; }
    b.dataset.confirm = "1";
    b.textContent = "Tap again to end";
    setTimeout(() => { delete b.dataset.confirm; b.textContent = "End session"; }, 4000);
  }

  onEnded() {
    if (live) { live.close("The session has ended."); live = null; }
    if (location.pathname.startsWith(`/facilitate/${this.id}`)) { this.ctx.navigate(`/sessions/${this.id}`); return; }
    for (const done of this.main.querySelectorAll("#c-controls, #c-quorum-form")) done.hidden = true;
    const ended = this.$("#c-ended");
    if (!ended) return;
    ended.hidden = false;
    const links = ended.querySelector("ul");
    links.innerHTML = "";
    for (const screen of this.screens) {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = `/api/screens/${screen.id}/heatmap.png?session=${this.id}`;
      a.target = "_blank";
      a.rel = "noopener";
      a.textContent = `Heat map of pins: ${screen.title}`;
      li.appendChild(a);
      links.appendChild(li);
    }
  }
}

function noteKey(note) {
  return `${note.source || "comment"}:${note.id}`;
}

const SETUP_HTML = `
  <h1>Facilitate a session</h1>
  <section class="card" id="recent" hidden aria-labelledby="recent-h">
    <h2 id="recent-h">Your sessions</h2><ul></ul>
  </section>
  <form id="session-form" class="card" novalidate>
    <h2>New session</h2>
    <label for="s-title">Session title</label>
    <input id="s-title" maxlength="200" required placeholder="e.g. Sepsis alert, 4 West huddle">
    <label for="s-tool">AI tool under design</label>
    <select id="s-tool" required></select>
    <div id="new-tool" class="inline-add">
      <label for="new-tool-name">Or add a new AI tool</label>
      <div class="row"><input id="new-tool-name" maxlength="120">
      <button type="button" class="secondary" id="new-tool-add">Add tool</button></div>
      <p id="tool-status" class="muted" role="status"></p>
    </div>
    <fieldset class="screens-field">
      <legend>Screens to rate</legend>
      <div id="screen-picks" class="screen-picks"></div>
      <p id="no-screens" class="muted">This tool has no screens yet: upload one below.</p>
      <fieldset id="up-fields" class="upload">
        <legend>Upload a screen</legend>
        <label for="up-image">Screen image (PNG, JPEG or WebP, no patient data)</label>
        <input type="file" id="up-image" accept="image/png,image/jpeg,image/webp">
        <label for="up-title">Screen title</label>
        <input id="up-title" maxlength="200">
        <label for="up-version">Version</label>
        <input id="up-version" maxlength="40" value="1">
        <div class="row"><button type="button" class="secondary" id="up-submit">Upload screen</button>
        <span id="up-status" role="status" aria-live="polite"></span></div>
      </fieldset>
    </fieldset>
    <label for="s-dims">Rating dimensions (comma-separated, each scored 1–5)</label>
    <p class="muted" id="s-dims-hint">Leave empty for the standard four: usefulness, clarity, trust and workflow fit.</p>
    <input id="s-dims" value="" aria-describedby="s-dims-hint">
    <label class="check"><input type="checkbox" id="s-guests"> Allow guests without an account to join</label>
    <p id="s-error" class="error" role="alert"></p>
    <button type="submit" id="s-create">Start session</button>
  </form>`;

const CONSOLE_HTML = `
  <div class="console">
    <section class="console-main" aria-labelledby="c-title">
      <div class="row"><h1 id="c-title"></h1><span id="c-status"></span></div>
      <p id="c-noscreen" class="card waiting">No screen is shown yet: pick one below.</p>
      <div id="c-stage-wrap" hidden>
        <h2 id="c-screen-title"></h2>
        <p class="muted"><span id="c-pin-count">0</span> <span id="c-pin-word">pins</span> on this screen</p>
        <div class="screen-stage" id="c-stage" hidden>
          <img id="c-img" alt="">
          <div class="pins-layer" id="c-pins" aria-hidden="true"></div>
        </div>
      </div>
      <h2 id="picker-h">Show a screen</h2>
      <div id="c-picker" class="screen-picker" role="group" aria-labelledby="picker-h"></div>
    </section>
    <aside class="console-side" aria-label="Session controls">
      <div class="card join-card">
        <p class="join-line">Join at <a id="c-join-url" target="_blank" rel="noopener"></a></p>
        <div class="join-row">
          <div class="join-stack">
            <p class="big-code" id="c-code"></p>
            <p class="presence-line"><strong id="c-presence" class="presence">0</strong> connected</p>
            <button type="button" id="c-fullscreen" class="secondary" aria-label="Show code full screen">Full screen</button>
          </div>
          <img id="c-qr" class="qr" alt="QR code of the join link">
        </div>
      </div>
      <div id="c-controls" class="row controls">
        <button type="button" id="c-reveal" aria-pressed="false">Reveal results</button>
        <button type="button" id="c-end" class="danger">End session</button>
        <p id="c-visibility" class="muted" aria-live="polite"></p>
      </div>
      <section id="c-ended" class="card" hidden>
        <h2>The session has ended</h2><ul></ul>
        <p><a class="button" href="/facilitate" data-link>Set up another session</a></p>
      </section>
      <section class="card" aria-labelledby="agg-h">
        <h2 id="agg-h">Ratings</h2>
        <div id="c-agg" class="aggregate"></div>
      </section>
      <section class="card" aria-labelledby="comments-h">
        <h2 id="comments-h">Comments</h2>
        <ul id="c-comments" class="comments"></ul>
      </section>
      <form id="c-quorum-form" class="card quorum-form">
        <label for="c-quorum">Reveal by itself once this many have rated the screen (empty: never)</label>
        <div class="row"><input id="c-quorum" type="number" min="1" max="1000" inputmode="numeric">
          <button type="submit" class="secondary">Set quorum</button></div>
        <p id="c-quorum-note" class="muted" aria-live="polite">No quorum: results show when you reveal them.</p>
      </form>
    </aside>
  </div>`;
