// Sign-in form (session cookie). Errors are shown next to the form and announced.
import { api, ensureCsrf } from "../api.js";

export function render(main, { onLogin }) {
  main.innerHTML = `
    <h1>Sign in to Rounds</h1>
    <form class="card" id="login-form" novalidate>
      <label for="username">Username</label>
      <input id="username" name="username" autocomplete="username" required autocapitalize="none">
      <label for="password">Password</label>
      <input id="password" name="password" type="password" autocomplete="current-password" required>
      <p id="login-error" class="error" role="alert"></p>
      <button type="submit">Sign in</button>
    </form>`;
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
  main.querySelector("#username").focus();
}
