// Staff login over the queue API; the token lives in sessionStorage for this tab only.
(function () {
  const api = new URL("../api/queue/", window.location.href).toString();
  const form = document.getElementById("login");
  const who = document.getElementById("who");

  function show(staff) {
    form.hidden = true;
    who.hidden = false;
    document.getElementById("who-name").textContent = staff.display_name || staff.username;
    document.getElementById("who-roles").textContent = (staff.roles || []).join(", ");
  }

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const err = document.getElementById("login-error");
    err.textContent = "";
    const body = {username: form.username.value, password: form.password.value};
    try {
      const res = await fetch(api + "auth/token", {
        method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body),
      });
      const data = await res.json();
      if (!res.ok) { err.textContent = data.error ? data.error.message : "Gagal masuk."; return; }
      sessionStorage.setItem("loket.token", data.token);
      sessionStorage.setItem("loket.staff", JSON.stringify(data.staff));
      show(data.staff);
    } catch (e) {
      err.textContent = "Server tidak dapat dihubungi. Periksa jaringan lalu coba lagi.";
    }
  });

  document.getElementById("logout").addEventListener("click", () => {
    sessionStorage.clear();
    who.hidden = true;
    form.hidden = false;
  });

  const saved = sessionStorage.getItem("loket.staff");
  if (saved) show(JSON.parse(saved));
})();
