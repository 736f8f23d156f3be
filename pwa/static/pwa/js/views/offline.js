// What an area that needs the server shows while the device is offline or the server does not
// answer: plainly that, what still works, and that the page opens by itself once it answers.
import { h } from "../dom.js";

const WHY = {
  offline: ["You are offline.", "this device is back online"],
  unreachable: ["The Rounds server is not answering.", "the server answers again"],
};

/** "You are offline. <what> this device is back online." — `what` ends in "when", "until"… */
export function offlineSentence(state, what) {
  const [why, when] = WHY[state] || WHY.offline;
  return `${why} ${what} ${when}.`;
}

export function stillWorks(areas) {
  const capture = areas.find((a) => a.id === "capture");
  if (!capture) return h("p", {}, "Nothing here works without the server; this page waits for it.");
  return h("p", {}, "What still works: ",
    h("a", { href: capture.path, "data-link": true }, "Capture"),
    ". Observations you log wait on this device and sync by themselves.");
}

export async function render(main, { area, state, areas = [] }) {
  main.replaceChildren(
    h("h1", {}, area.label),
    h("section", { class: "offline-page", id: "offline-page", dataset: { area: area.id } },
      h("p", { class: "offline-note", role: "status" },
        offlineSentence(state.net, "This page needs the server: it opens by itself when")),
      stillWorks(areas)));
}
