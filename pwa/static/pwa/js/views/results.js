// Results of a session (an ended session opens here): per screen the means and 1–5 histograms of
// each of the session's dimensions, every comment with its pin or named region drawn on the screen,
// the heat map of pins in place, questionnaire scores, and the exports.
import { fill, h, humanize, mountable, plural, View } from "../dom.js";
import { histogram } from "../live.js";

const INSTRUMENTS = {
  sus: "System Usability Scale (0–100)", umux_lite: "UMUX-Lite (0–100)", seq: "Single Ease Question (1–7)",
  nasa_tlx: "NASA-TLX workload (0–100, lower is better)", pdqi9: "PDQI-9 note quality (9–45)",
};

function histRow(dim, mean, counts, count) {
  const top = Math.max(1, ...counts);
  const shown = typeof mean === "number" && count ? mean.toFixed(1) : "–";
  return h("div", { class: "res-dim", dataset: { dimension: dim } },
    h("div", { class: "agg-label" }, h("span", {}, humanize(dim)), h("strong", { class: "agg-mean" }, `${shown} of 5`)),
    h("div", { class: "res-hist", role: "img",
      "aria-label": `${humanize(dim)}: ${counts.map((n, i) => `${n} rated ${i + 1}`).join(", ")}` },
    counts.map((n, i) => h("div", { class: "res-bar" },
      h("span", { class: "res-n" }, String(n)),
      h("span", { class: "res-fill", style: `height:${Math.round((n / top) * 100)}%` }),
      h("span", { class: "res-score" }, String(i + 1))))));
}

function pinMark(n, pin, text) {
  return h("span", { class: "pin-dot numbered", style: `left:${pin.x * 100}%;top:${pin.y * 100}%`, title: text || "" }, String(n));
}

function regionBox(n, region) {
  const [x, y, w, hh] = region.box;
  return h("span", { class: "region-box shown", style: `left:${x * 100}%;top:${y * 100}%;width:${w * 100}%;height:${hh * 100}%` },
    h("span", { class: "region-n" }, String(n)));
}

class Results extends View {
  get id() { return Number(location.pathname.match(/^\/sessions\/(\d+)/)?.[1]); }

  async mount() {
    const id = this.id;
    this.main.append(h("p", { class: "loading" }, "Loading the results…"));
    if (this.ctx.state.net !== "online") {
      fill(this.main, h("h1", {}, "Session results"),
        h("p", { class: "offline-note" }, "Offline: results load when the server answers again. Capture still works."));
      return;
    }
    if (!Number.isInteger(id)) { // "/sessions" typed without a number: no request for "NaN"
      fill(this.main, h("h1", {}, "Session results"), h("div", { class: "card" },
        h("p", {}, "Choose a session: your sessions are listed on Facilitate."),
        h("p", {}, h("a", { class: "button", id: "to-facilitate", href: "/facilitate", "data-link": true }, "Your sessions"))));
      return;
    }
    let session; let summary;
    try {
      [session, summary] = await Promise.all([
        this.ctx.api(`/api/sessions/${id}/`, { signal: this.signal }),
        this.ctx.api(`/api/sessions/${id}/summary/`, { signal: this.signal }),
      ]);
    } catch (err) {
      if (!this.alive) return;
      fill(this.main, h("h1", {}, "Results unavailable"), h("div", { class: "card" },
        h("p", { class: "error", role: "alert" }, err.status === 404 ? "No such session, or it is not yours." : err.message),
        h("p", {}, h("a", { class: "button", href: "/facilitate", "data-link": true }, "Back to Facilitate"))));
      return;
    }
    if (this.alive) this.draw(session, summary);
  }

  draw(session, summary) {
    const screens = new Map((session.screens || []).map((s) => [s.id, s]));
    const canTriage = (this.ctx.state.me.permissions || []).includes("triage");
    fill(this.main,
      h("div", { id: "results-view", class: "results", dataset: { session: session.id } },
        h("h1", {}, `Results: ${session.title || "session"}`),
        h("p", { class: "muted" }, [
          session.state === "open" ? "Still open" : `Ended ${session.ended_at ? new Date(session.ended_at).toLocaleString() : ""}`,
          `code ${session.code}`, plural(summary.screens.length, "screen"),
        ].join(" · ")),
        h("div", { class: "row res-actions" },
          h("a", { class: "button secondary", id: "export-json", href: `/api/sessions/${session.id}/summary/`,
            download: `session-${session.id}-summary.json` }, "Download results (JSON)"),
          h("a", { class: "button secondary", id: "export-csv", href: `/api/sessions/${session.id}/instruments.csv`,
            download: true }, "Questionnaire scores (CSV)"),
          canTriage ? h("a", { class: "button", href: `/evidence?session=${session.id}`, "data-link": true, id: "to-evidence" },
            "Turn comments into backlog items") : null,
          session.state === "open" ? h("a", { class: "button secondary", href: `/facilitate/${session.id}`, "data-link": true }, "Back to the console") : null),
        this.instruments(summary),
        summary.screens.length ? summary.screens.map((s) => this.screenCard(s, screens.get(s.screen), session))
          : h("p", { class: "card muted" }, "This session had no screens.")));
  }

  instruments(summary) {
    const entries = Object.entries(summary.instruments || {});
    if (summary.sus && summary.sus.responses && !(summary.instruments || {}).sus) {
      entries.push(["sus", { score: summary.sus.mean, n: summary.sus.responses }]);
    }
    if (!entries.length) return null;
    return h("section", { class: "card", "aria-labelledby": "q-h" }, h("h2", { id: "q-h" }, "Questionnaire scores"),
      h("div", { class: "table-scroll", tabindex: "0", role: "region", "aria-label": "Questionnaire scores table" },
        h("table", { id: "instrument-scores" },
        h("thead", {}, h("tr", {}, h("th", {}, "Questionnaire"), h("th", {}, "Score"), h("th", {}, "Answers"), h("th", {}, "95% interval"))),
        h("tbody", {}, entries.map(([name, e]) => h("tr", { dataset: { instrument: name } },
          h("td", {}, INSTRUMENTS[name] || humanize(name)),
          h("td", {}, e.score === null || e.score === undefined ? "–" : String(Math.round(e.score * 10) / 10)),
          h("td", {}, String(e.n ?? "")),
          h("td", {}, e.ci95 ? `${oneDecimal(e.ci95[0])}–${oneDecimal(e.ci95[1])}` : "–")))))));
  }

  screenCard(s, screen, session) {
    const regions = new Map(((screen && screen.regions) || []).map((r) => [r.id, r]));
    const img = h("img", { src: screen ? screen.image_url : "", alt: `Screen: ${s.title}`, class: "res-img" });
    const layer = h("div", { class: "pins-layer" });
    const list = h("ol", { class: "res-comments" });
    let n = 0;
    for (const c of s.comments) {
      n += 1;
      const region = c.region ? regions.get(c.region) : null;
      if (c.pin) layer.append(pinMark(n, c.pin, c.text));
      else if (region) layer.append(regionBox(n, region));
      const where = c.pin ? `pin ${n}` : region ? `about: ${region.label}` : "no pin";
      list.append(h("li", { dataset: { commentId: c.id, source: c.source } },
        h("span", {}, c.text), " ", h("span", { class: "muted" }, `(${where})`)));
    }
    const unlabeled = s.pins.length - s.comments.filter((c) => c.pin).length;
    const heat = `/api/screens/${s.screen}/heatmap.png?session=${session.id}`;
    const toggle = h("button", { type: "button", class: "secondary heat-toggle", "aria-pressed": "false" }, "Show heat map");
    this.on(toggle, "click", () => {
      const on = toggle.getAttribute("aria-pressed") !== "true";
      toggle.setAttribute("aria-pressed", String(on));
      toggle.textContent = on ? "Show pins" : "Show heat map";
      img.src = on ? heat : (screen ? screen.image_url : "");
      img.alt = on ? `Heat map of pins on ${s.title}` : `Screen: ${s.title}`;
      layer.hidden = on;
    });
    const dims = session.dimensions && session.dimensions.length ? session.dimensions : Object.keys(s.means || {});
    return h("section", { class: "card res-screen", dataset: { screen: s.screen }, "aria-labelledby": `res-${s.screen}` },
      h("h2", { id: `res-${s.screen}` }, `${s.title}${s.version ? ` · v${s.version}` : ""}`),
      h("div", { class: "res-grid" },
        h("div", {},
          h("div", { class: "screen-stage res-stage" }, img, layer),
          h("div", { class: "row" }, s.pins.length ? toggle : null, // no pins: no heat map to show
            h("span", { class: "muted" }, `${plural(s.pins.length, "pin")}${unlabeled > 0 ? ` (${unlabeled} without a comment)` : ""}`))),
        h("div", {},
          h("p", { class: "agg-count" }, h("strong", { "data-count": true }, String(s.count || 0)), ` ${s.count === 1 ? "rating" : "ratings"}`),
          dims.map((d) => histRow(d, (s.means || {})[d], histogram((s.histograms || {})[d]), s.count || 0)))),
      h("h3", {}, `Comments (${s.comments.length})`),
      s.comments.length ? list : h("p", { class: "muted" }, "No comments on this screen."));
  }
}

function oneDecimal(value) {
  return String(Math.round(Number(value) * 10) / 10);
}

export const { render, unmount } = mountable(Results);
