// Admin > Webhooks: receivers of backlog events (signed POSTs), each with its delivery log; add,
// pause and resume, delete. The secret is written once and never shown again.
import { confirmDialog, h, humanize } from "../../dom.js";
import { errorText, field, note, pager, pathOf, row, table, when } from "./kit.js";

const LOG_HEAD = ["Queued", "Event", "Outcome", "Attempts", "Last answer", "Delivered or next try"];
const OUTCOME = { pending: "Waiting to send", delivered: "Delivered", failed: "Gave up" };

// "backlog.item.status_changed" -> "Backlog item status changed".
function eventLabel(name) {
  return name === "*" ? "Every event" : humanize(name.replace(/\./g, " "));
}

class Webhooks {
  constructor(root, ctx) {
    this.root = root;
    this.ctx = ctx;
    this.list = h("ul", { id: "hook-list", class: "admin-list" });
    this.status = note("hook-status");
  }

  async mount() {
    this.vocab = await this.ctx.api("/api/webhooks/events/");
    this.root.append(
      h("h1", {}, "Webhooks"),
      h("p", { class: "muted" }, "Rounds POSTs each chosen event to the address, signed with the secret "
        + "(header X-Rounds-Signature: sha256=…), and retries with back-off when the receiver fails."),
      this.createForm(),
      h("section", { class: "card", "aria-labelledby": "hooks-h" },
        h("h2", { id: "hooks-h" }, "Receivers"), this.status, this.list));
    await this.load();
  }

  createForm() {
    const url = h("input", { type: "url", name: "url", required: true, maxlength: "500", placeholder: "https://" });
    const secret = h("input", { type: "password", name: "secret", required: true, minlength: "8", maxlength: "200",
      autocomplete: "new-password" });
    const events = h("fieldset", { id: "hook-events", class: "roles" }, h("legend", {}, "Events to send"),
      ...[this.vocab.all, ...this.vocab.events].map((e) => h("label", { class: "check" },
        h("input", { type: "checkbox", name: "events", value: e }), ` ${eventLabel(e)}`)));
    const error = h("p", { class: "error", role: "alert", id: "new-hook-error" });
    const form = h("form", { id: "new-hook-form", novalidate: true },
      field("hook-url", "Receiver address (http or https)", url),
      field("hook-secret", "Signing secret", secret, "At least 8 characters. Give the receiver the same secret; it is not shown again."),
      events, error, h("button", { type: "submit" }, "Add webhook"));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      error.textContent = "";
      const body = { url: url.value.trim(), secret: secret.value,
        events: [...events.querySelectorAll("input:checked")].map((i) => i.value) };
      try {
        await this.ctx.api("/api/webhooks/", { method: "POST", body });
        form.reset();
        this.ctx.toast("Webhook added.");
        await this.load();
      } catch (err) { error.textContent = errorText(err); }
    });
    return h("section", { class: "card", "aria-labelledby": "new-hook-h" }, h("h2", { id: "new-hook-h" }, "Add a webhook"), form);
  }

  async load() {
    try {
      const page = await this.ctx.api("/api/webhooks/?page_size=200");
      this.list.replaceChildren(...(page.results.length ? page.results.map((x) => this.item(x))
        : [h("li", { class: "muted" }, "No webhooks yet.")]));
    } catch (err) { this.status.textContent = errorText(err); }
  }

  item(hook) {
    const li = h("li", { id: `hook-${hook.id}` });
    const status = note(`hook-${hook.id}-status`);
    const pause = h("button", { type: "button", class: "secondary pause" }, hook.active ? "Pause" : "Resume");
    pause.addEventListener("click", async () => {
      try {
        const saved = await this.ctx.api(`/api/webhooks/${hook.id}/`, { method: "PATCH", body: { active: !hook.active } });
        li.replaceWith(this.item(saved));
        this.ctx.toast(saved.active ? "Webhook resumed." : "Webhook paused: new events are not sent to it.");
      } catch (err) { status.textContent = errorText(err); }
    });
    const remove = h("button", { type: "button", class: "danger delete" }, "Delete");
    remove.addEventListener("click", async () => {
      const ok = await confirmDialog({ id: "hook-delete-confirm", title: "Delete this webhook?",
        body: `${hook.url} gets no more events, and deliveries still waiting are dropped. This cannot be undone.`,
        confirm: "Delete webhook", danger: true });
      if (!ok) return;
      try {
        await this.ctx.api(`/api/webhooks/${hook.id}/`, { method: "DELETE" });
        this.ctx.toast("Webhook deleted.");
        await this.load();
      } catch (err) { status.textContent = errorText(err); }
    });
    const log = h("details", { class: "change delivery-log" }, h("summary", {}, "Delivery log"));
    log.addEventListener("toggle", () => { if (log.open && !log.dataset.loaded) this.deliveries(hook, log); });
    li.append(
      h("div", { class: "who-line" }, h("strong", { class: "url" }, hook.url), " ",
        h("span", { class: hook.active ? "badge" : "badge badge-off" }, hook.active ? "Active" : "Paused")),
      h("p", { class: "muted" }, `${hook.events.map(eventLabel).join(", ")} · added ${when(hook.created_at)}`),
      h("div", { class: "row" }, pause, remove), status, log);
    return li;
  }

  async deliveries(hook, log) {
    log.dataset.loaded = "1";
    const body = h("tbody", {});
    const t = table(`deliveries-${hook.id}`, `Deliveries to ${hook.url}, newest first`, LOG_HEAD, []);
    t.querySelector("tbody").replaceWith(body);
    const msg = note(`deliveries-${hook.id}-status`);
    const load = async (url) => {
      try {
        const page = await this.ctx.api(url ? pathOf(url) : `/api/webhooks/${hook.id}/deliveries/?page_size=50`);
        body.append(...page.results.map((d) => this.delivery(hook, d, msg)));
        if (!url && !page.results.length) msg.textContent = "Nothing sent to it yet.";
        return page.next;
      } catch (err) { msg.textContent = errorText(err); return null; }
    };
    const more = pager(`deliveries-${hook.id}-more`, "Show older deliveries", load);
    log.append(msg, t, more.el);
    more.set(await load(null));
  }

  delivery(hook, d, msg) {
    const outcome = h("span", { class: `outcome outcome-${d.status}` }, OUTCOME[d.status] || humanize(d.status));
    const again = d.status !== "failed" ? null : h("button", { type: "button", class: "secondary retry" }, "Send again");
    const tr = row(LOG_HEAD, [when(d.created_at), eventLabel(d.event), h("span", {}, outcome, " ", again),
      String(d.attempts), d.last_error || (d.last_status_code ? `HTTP ${d.last_status_code}` : "–"),
      d.delivered_at ? when(d.delivered_at) : d.next_attempt_at ? `next try ${when(d.next_attempt_at)}` : "–"]);
    tr.id = `delivery-${d.id}`;
    if (again) {
      again.addEventListener("click", async () => {
        try {
          const fresh = await this.ctx.api(`/api/webhooks/${hook.id}/deliveries/${d.id}/retry/`, { method: "POST" });
          tr.replaceWith(this.delivery(hook, fresh, msg));
          msg.textContent = "Sending again, with a fresh set of attempts.";
        } catch (err) { msg.textContent = errorText(err); }
      });
    }
    return tr;
  }
}

export async function render(root, ctx) {
  await new Webhooks(root, ctx).mount();
}
