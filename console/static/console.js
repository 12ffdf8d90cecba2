// Staff login over the queue API; the token lives in sessionStorage for this tab only.
// After login the officer goes straight to the page of their role.
(function () {
  "use strict";
  const L = window.Loket;
  const form = document.getElementById("login");
  const err = document.getElementById("login-error");

  const params = new URLSearchParams(window.location.search);
  if (params.get("pesan")) err.textContent = params.get("pesan");

  if (L.token() && L.staff()) {
    window.location.replace(L.pageUrl(L.homeFor(L.roles())));
    return;
  }

  // A new or reset password: the login's token only changes it; then the real login.
  function askNewPassword(login, current) {
    const next = document.getElementById("new-password");
    form.hidden = true;
    next.hidden = false;
    next.addEventListener("submit", (ev) => {
      ev.preventDefault();
      sessionStorage.setItem("loket.token", login.token);
      L.busy(next.querySelector("button"), async () => {
        const done = await L.queue("auth/password", {method: "POST", body: {
          current_password: current, new_password: next.new_password.value}});
        L.saveLogin({token: done.token, staff: login.staff});
        window.location.href = L.pageUrl(L.homeFor(login.staff.roles || []));
      }, next);
    });
  }

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    err.textContent = "";
    L.clearErrors(form);
    const body = {username: form.username.value.trim(), password: form.password.value};
    if (!body.username || !body.password) {
      err.textContent = "Isi nama pengguna dan kata sandi.";
      return;
    }
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      const data = await L.queue("auth/token", {method: "POST", body});
      if (data.must_change_password) {
        askNewPassword(data, body.password);
        return;
      }
      L.saveLogin(data);
      window.location.href = L.pageUrl(L.homeFor(data.staff.roles || []));
    } catch (e) {
      if (e.field && form.querySelector(`[data-error-for="${e.field}"]`)) L.showError(e, form);
      else err.textContent = e.message;
    } finally {
      button.disabled = false;
    }
  });
})();
