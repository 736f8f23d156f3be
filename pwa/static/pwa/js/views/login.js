// Sign-in: single sign-on buttons (from /api/auth/providers/) and the password form (session
// cookie). Errors are shown next to the form and announced.
import { api, csrfToken, ensureCsrf } from "../api.js";

const SSO_ERRORS = {
  no_role: "Your account is not in any group that Rounds knows. Ask your administrator for access.",
  nonce: "That sign-in could not be verified (it may have been replayed). Please try again.",
  state: "That sign-in was not started here or has expired. Please try again.",
  inactive: "This account is deactivated.",
  failed: "Single sign-on failed: the identity provider's answer was not accepted. Please try again.",
};

function ssoForm(provider) {
  // allauth's login URL takes a POST with the CSRF token, then redirects to the IdP.
  const form = document.createElement("form");
  form.method = "post";
  form.action = provider.login_url;
  form.className = "sso";
  const token = document.createElement("input");
  token.type = "hidden";
  token.name = "csrfmiddlewaretoken";
  const button = document.createElement("button");
  button.type = "submit";
  button.dataset.provider = provider.id;
  button.textContent = `Sign in with ${provider.name}`;
  form.append(token, button);
  form.addEventListener("submit", () => { token.value = csrfToken(); });
  return form;
}

async function renderProviders(main) {
  const box = main.querySelector("#sso");
  let providers = [];
  try { providers = await api("/api/auth/providers/"); } catch (err) { return; } // offline
  const sso = providers.filter((p) => p.kind !== "local");
  box.replaceChildren(...sso.map(ssoForm));
  box.hidden = sso.length === 0;
  const local = providers.find((p) => p.kind === "local");
  if (local && sso.length) {
    // With single sign-on on offer, say (visibly) what the password form is still for.
    const title = main.querySelector("#local-title");
    title.textContent = local.name;
    title.classList.remove("sr-only");
  }
}

export function render(main, { onLogin }) {
  main.innerHTML = `
    <h1>Sign in to Rounds</h1>
    <p id="sso-error" class="error" role="alert"></p>
    <div id="sso" class="card sso-list" hidden></div>
    <form class="card" id="login-form" novalidate>
      <h2 id="local-title" class="sr-only">Username and password</h2>
      <label for="username">Username</label>
      <input id="username" name="username" autocomplete="username" required autocapitalize="none">
      <label for="password">Password</label>
      <input id="password" name="password" type="password" autocomplete="current-password" required>
      <p id="login-error" class="error" role="alert"></p>
      <button type="submit">Sign in</button>
    </form>`;
  const code = new URLSearchParams(location.search).get("sso_error");
  if (code) main.querySelector("#sso-error").textContent = SSO_ERRORS[code] || SSO_ERRORS.failed;
  ensureCsrf().catch(() => {}).then(() => renderProviders(main));
  const form = main.querySelector("#login-form");
  const error = main.querySelector("#login-error");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    if (!navigator.onLine) { error.textContent = "You are offline: sign in once you have a connection."; return; }
    try {
      await ensureCsrf();
      const me = await api("/api/auth/login/", {
        method: "POST",
        body: { username: form.username.value.trim(), password: form.password.value },
      });
      form.reset();
      await ensureCsrf();
      onLogin(me);
    } catch (err) {
      error.textContent = err.message;
    }
  });
  main.querySelector("#username")?.focus();
}
