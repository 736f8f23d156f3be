// An area made of sections under a row of tabs (Admin; Units & workflows): each section is its own
// module, rendered under the tabs at `${base}/${section.id}`. Offline, a section says it needs the
// server and reopens by itself when the server answers (the router leaves these pages alone).
import { h } from "../../dom.js";
import { offlineSentence } from "../offline.js";
import { problem } from "./kit.js";

/** `{render, unmount}` for a view module: `prefix` names its ids (`${prefix}-nav`, `${prefix}-<section>`). */
export function tabbedArea({ base, prefix, label, what, sections }) {
  let mounted = null;
  const current = () => sections.find((s) => s.id === location.pathname.split("/")[2]) || sections[0];
  const tabs = (shown) => h("nav", { class: "subnav", id: `${prefix}-nav`, "aria-label": label },
    ...sections.map((s) => h("a", { href: `${base}/${s.id}`, "data-link": true, dataset: { tab: s.id },
      "aria-current": s === shown ? "page" : null }, s.label)));

  async function render(main, ctx) {
    const section = current();
    const body = h("div", { id: `${prefix}-${section.id}`, class: "admin-section" });
    main.append(tabs(section), body);
    if (!ctx.state.online) {
      body.append(h("h1", {}, section.label), h("p", { class: "offline-note", id: `${prefix}-offline`, role: "status" },
        offlineSentence(ctx.state.net, `${what} reads and changes data on the server: it opens by itself when`),
        " Capture still works offline."));
      window.addEventListener("rounds:net", () => {
        if (ctx.state.online) ctx.navigate(location.pathname + location.search);
      }, { signal: ctx.signal });
      return;
    }
    try {
      mounted = await section.load();
      if (ctx.signal && ctx.signal.aborted) return;
      await mounted.render(body, ctx);
    } catch (err) {
      if (!(ctx.signal && ctx.signal.aborted)) body.append(problem(err));
    }
  }

  function unmount() {
    if (mounted && mounted.unmount) mounted.unmount();
    mounted = null;
  }
  return { render, unmount };
}

export const UNITS = { id: "units", label: "Units", load: async () => (await import("./reference.js")).units };
export const WORKFLOWS = { id: "workflows", label: "Workflows", load: async () => (await import("./reference.js")).workflows };
