// Admin > Users: add a person with their roles, find people (name, role, active or not), change
// someone's roles, end their sign-ins everywhere, deactivate or reactivate the account.
import { confirmDialog, h, humanize } from "../../dom.js";
import { errorText, field, loadList, note, pager, when } from "./kit.js";

const roleLabel = (name) => humanize(name);

function roleBoxes(prefix, roles, held = []) {
  return h("fieldset", { class: "roles", id: `${prefix}-roles` },
    h("legend", {}, "Roles"),
    ...roles.map((r) => h("label", { class: "check" },
      h("input", { type: "checkbox", name: "roles", value: r.name, checked: held.includes(r.name) }),
      ` ${roleLabel(r.name)}`)));
}

const checked = (box) => [...box.querySelectorAll("input[name=roles]:checked")].map((i) => i.value);

function roleGuide(roles) {
  return h("details", { class: "card", id: "role-guide" },
    h("summary", {}, "What each role can do"),
    h("dl", {}, ...roles.flatMap((r) => [
      h("dt", {}, roleLabel(r.name)),
      h("dd", {}, r.permissions.map((p) => p.description).join("; ")),
    ])));
}

class Users {
  constructor(root, ctx) {
    this.root = root;
    this.ctx = ctx;
    this.list = h("ul", { id: "user-list", class: "admin-list", "aria-live": "polite" });
    this.more = pager("users-more", "Show more people", (url) => this.load(url, true));
    this.status = note("user-status");
  }

  async mount() {
    this.roles = await this.ctx.api("/api/users/roles/", { signal: this.ctx.signal });
    this.root.append(
      h("h1", {}, "Users"),
      this.createForm(),
      h("section", { class: "card", "aria-labelledby": "people-h" },
        h("h2", { id: "people-h" }, "People"), this.filterForm(), this.status, this.list, this.more.el),
      roleGuide(this.roles));
    await this.load();
  }

  createForm() {
    const error = h("p", { class: "error", role: "alert", id: "new-user-error" });
    const username = h("input", { name: "username", required: true, maxlength: "150", autocomplete: "off",
      autocapitalize: "none", spellcheck: "false" });
    const name = h("input", { name: "display_name", maxlength: "150", autocomplete: "off" });
    const password = h("input", { name: "password", type: "password", required: true, autocomplete: "new-password", minlength: "8" });
    const roles = roleBoxes("new-user", this.roles);
    const form = h("form", { id: "new-user-form", novalidate: true },
      field("new-username", "Username", username, "Letters, digits and @ . + - _ only."),
      field("new-display-name", "Name shown to others", name),
      field("new-password", "First password", password,
        "At least 8 characters, not only digits, not a common password. Share it with them privately."),
      roles, error, h("button", { type: "submit" }, "Add user"));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      error.textContent = "";
      const body = { username: username.value.trim(), display_name: name.value.trim(),
        password: password.value, roles: checked(roles) };
      try {
        const user = await this.ctx.api("/api/users/", { method: "POST", body });
        form.reset();
        this.ctx.toast(`${user.username} added.`);
        await this.load();
      } catch (err) { error.textContent = errorText(err); }
    });
    return h("section", { class: "card", "aria-labelledby": "new-user-h" },
      h("h2", { id: "new-user-h" }, "Add a user"), form);
  }

  filterForm() {
    this.q = h("input", { type: "search", name: "q", maxlength: "150" });
    this.role = h("select", { name: "role" }, h("option", { value: "" }, "Any role"),
      ...this.roles.map((r) => h("option", { value: r.name }, roleLabel(r.name))));
    this.active = h("select", { name: "is_active" }, h("option", { value: "" }, "Active and deactivated"),
      h("option", { value: "true" }, "Active only"), h("option", { value: "false" }, "Deactivated only"));
    const form = h("form", { id: "user-filter", class: "filters", role: "search" },
      field("user-q", "Name or username", this.q), field("user-role", "Role", this.role),
      field("user-active", "Account", this.active), h("button", { type: "submit" }, "Find"));
    form.addEventListener("submit", (event) => { event.preventDefault(); this.load(); });
    return form;
  }

  query() {
    const params = new URLSearchParams({ page_size: "50" });
    if (this.q.value.trim()) params.set("q", this.q.value.trim());
    if (this.role.value) params.set("role", this.role.value);
    if (this.active.value) params.set("is_active", this.active.value);
    return `/api/users/?${params}`;
  }

  load(url = null, append = false) {
    return loadList({ api: this.ctx.api, path: this.query(), url, append, list: this.list,
      item: (u) => this.item(u), empty: "Nobody matches.", more: this.more, status: this.status });
  }

  item(user) {
    const me = user.id === this.ctx.state.me.id;
    const li = h("li", { id: `user-${user.id}`, class: user.is_active ? "" : "inactive" });
    const draw = (u) => {
      li.className = u.is_active ? "" : "inactive";
      li.replaceChildren(
        h("div", { class: "who-line" },
          h("strong", {}, u.display_name || u.username), " ",
          h("span", { class: "muted" }, `@${u.username}`), me ? h("span", { class: "badge" }, "you") : null,
          u.is_active ? null : h("span", { class: "badge badge-off" }, "Deactivated")),
        h("p", { class: "badges" }, ...(u.roles.length ? u.roles.map((r) => h("span", { class: "badge" }, roleLabel(r)))
          : [h("span", { class: "muted" }, "No role")])),
        h("p", { class: "muted joined" }, `Joined ${when(u.date_joined)} · `,
          u.last_login ? `last signed in ${when(u.last_login)}` : "no sign-in recorded yet"),
        this.changer(u, me, draw));
    };
    draw(user);
    return li;
  }

  changer(user, me, draw) {
    const roles = roleBoxes(`user-${user.id}`, this.roles, user.roles);
    const status = note(`user-${user.id}-status`);
    const save = async (body, done) => {
      try {
        const updated = await this.ctx.api(`/api/users/${user.id}/`, { method: "PATCH", body });
        draw(updated);
        this.ctx.toast(done(updated));
      } catch (err) { status.textContent = errorText(err); }
    };
    const saveRoles = h("button", { type: "button", class: "save-roles" }, "Save roles");
    saveRoles.addEventListener("click", () => save({ roles: checked(roles) }, (u) => `Roles of ${u.username} saved.`));
    const revoke = h("button", { type: "button", class: "secondary revoke" }, "Sign out everywhere");
    revoke.addEventListener("click", async () => {
      const ok = await confirmDialog({ id: "revoke-confirm", title: `Sign ${user.username} out everywhere?`,
        body: "Their API tokens stop working and every signed-in browser is signed out. They can sign in again.",
        confirm: "Sign out everywhere", danger: true });
      if (!ok) return;
      try {
        const r = await this.ctx.api(`/api/users/${user.id}/revoke-tokens/`, { method: "POST" });
        status.textContent = `Ended ${r.revoked_tokens} token(s) and ${r.ended_sessions} signed-in session(s).`;
      } catch (err) { status.textContent = errorText(err); }
    });
    const toggle = h("button", { type: "button", class: user.is_active ? "danger deactivate" : "secondary reactivate",
      disabled: me }, user.is_active ? "Deactivate" : "Reactivate");
    toggle.addEventListener("click", async () => {
      if (user.is_active) {
        const ok = await confirmDialog({ id: "deactivate-confirm", title: `Deactivate ${user.username}?`,
          body: "They can no longer sign in, and their tokens stop working. What they contributed stays. "
            + "You can reactivate the account later.", confirm: "Deactivate", danger: true });
        if (!ok) return;
      }
      await save({ is_active: !user.is_active }, (u) => `${u.username} ${u.is_active ? "reactivated" : "deactivated"}.`);
    });
    const exporter = h("button", { type: "button", class: "secondary export" }, "Export their data");
    exporter.addEventListener("click", async () => {
      try {
        const data = await this.ctx.api(`/api/users/${user.id}/export/`);
        const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: "application/json" }));
        h("a", { href: url, download: `rounds-person-${user.id}.json` }).click();
        setTimeout(() => URL.revokeObjectURL(url), 10000);
        status.textContent = "Export downloaded (everything Rounds holds about them, as JSON).";
      } catch (err) { status.textContent = errorText(err); }
    });
    const erase = h("button", { type: "button", class: "danger erase", disabled: me }, "Erase account");
    erase.addEventListener("click", async () => {
      const ok = await confirmDialog({ id: "erase-confirm", title: `Erase ${user.username}'s account?`,
        body: "The account is removed for good; what they contributed stays, attributed to \"former staff\". "
          + "Export their data first if it is needed.", confirm: "Erase account", danger: true });
      if (!ok) return;
      try {
        await this.ctx.api(`/api/users/${user.id}/erase/`, { method: "POST" });
        this.ctx.toast("Account erased.");
        await this.load();
      } catch (err) { status.textContent = errorText(err); }
    });
    const history = h("a", { href: `/admin/audit?object_type=feedback.user&object_id=${user.id}`, "data-link": true,
      class: "history" }, `Changes to ${user.username} in the audit log`);
    return h("details", { class: "change" },
      h("summary", {}, `Change ${user.username}`),
      roles, h("div", { class: "row" }, saveRoles),
      h("h3", { class: "sub" }, "Account"),
      h("div", { class: "row" }, revoke, toggle, exporter, erase),
      me ? h("p", { class: "hint" }, "You cannot deactivate yourself or drop your own admin role: ask another admin.") : null,
      h("p", {}, history),
      status);
  }
}

export async function render(root, ctx) {
  await new Users(root, ctx).mount();
}
