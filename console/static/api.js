// Shared by every console page: API calls with the staff token, error display, live streams,
// navigation by role, WIB time formatting. No domain rules live here: the APIs decide.
(function () {
  "use strict";

  const TOKEN_KEY = "loket.token";
  const STAFF_KEY = "loket.staff";
  const BASE = {
    queue: new URL("../api/queue/", window.location.href).toString(),
    workflow: new URL("../api/workflow/", window.location.href).toString(),
  };
  const PAGE_URL = (key) => new URL(key === "login" ? "./" : "./" + key, window.location.href)
    .toString();

  // Which page each role may use, in menu order.
  const PAGES = [
    {key: "loket", label: "Loket", roles: ["petugas", "admin"]},
    {key: "meja", label: "Meja Kerja",
     roles: ["petugas", "operator", "kasi", "sekcam", "camat", "admin"]},
    {key: "dasbor", label: "Dasbor", roles: ["camat", "sekcam", "admin"]},
    {key: "admin", label: "Pengaturan", roles: ["admin", "sekcam", "camat"]},
    {key: "atur-kantor", label: "Administrasi", roles: ["admin"]},
    ...["layanan", "loket", "petugas", "perangkat", "audit"].map((s) =>
      ({key: "atur-" + s, roles: ["admin"], sub: true})),
    {key: "tamu", label: "Buku Tamu", roles: ["petugas", "admin", "sekcam", "camat"]},
  ];
  const HOME_ORDER = [["petugas", "loket"], ["camat", "dasbor"], ["kasi", "meja"],
    ["operator", "meja"], ["sekcam", "meja"], ["admin", "admin"]];
  const ROLE_LABELS = {petugas: "Petugas Loket", operator: "Operator", kasi: "Kasi",
    sekcam: "Sekretaris Camat", camat: "Camat", admin: "Administrator"};
  const PRIORITY_LABELS = {lansia: "Lansia", disabilitas: "Disabilitas", ibu_hamil: "Ibu hamil",
    anak: "Anak"};
  const OFFLINE = "Server tidak dapat dihubungi. Periksa jaringan lalu coba lagi.";

  class ApiError extends Error {
    constructor(status, body) {
      const err = (body && body.error) || {};
      super(err.message || (status ? `Permintaan gagal (kode ${status}).` : OFFLINE));
      this.status = status;
      this.code = err.code || null;
      this.field = err.field || null;
    }
  }

  function token() { return sessionStorage.getItem(TOKEN_KEY); }
  function staff() {
    try { return JSON.parse(sessionStorage.getItem(STAFF_KEY) || "null"); } catch (e) { return null; }
  }
  function roles() { return (staff() || {}).roles || []; }
  function hasAny(...wanted) { return roles().some((r) => wanted.includes(r)); }

  function saveLogin(data) {
    sessionStorage.setItem(TOKEN_KEY, data.token);
    sessionStorage.setItem(STAFF_KEY, JSON.stringify(data.staff));
  }
  // Ends the account's session on the server too (every service refuses the token within 5 s);
  // the page leaves at once, the request finishes on its own (keepalive).
  function endSession() {
    const tok = token();
    if (!tok) return;
    try {
      fetch(BASE.queue + "auth/logout", {method: "POST", keepalive: true,
        headers: {Authorization: "Bearer " + tok}}).catch(() => {});
    } catch (e) { /* offline: the token still ends with its lifetime */ }
  }
  function logout(reason) {
    if (!reason) endSession();
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(STAFF_KEY);
    window.location.href = PAGE_URL("login") + (reason ? "?pesan=" + encodeURIComponent(reason) : "");
  }

  async function request(service, path, opts = {}) {
    const headers = {Accept: "application/json"};
    const tok = token();
    if (tok) headers.Authorization = "Bearer " + tok;
    let body;
    if (opts.body !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(opts.body);
    }
    let res;
    try {
      res = await fetch(BASE[service] + path, {method: opts.method || "GET", headers, body});
    } catch (e) {
      throw new ApiError(0, null);
    }
    if (!res.ok) {
      let data = null;
      try { data = await res.json(); } catch (e) { /* not JSON: keep the generic message */ }
      const error = new ApiError(res.status, data);
      if (res.status === 401 && tok && ["token_expired", "invalid_token", "session_ended", "inactive_staff"]
        .includes(error.code)) {
        logout(error.message);
      }
      throw error;
    }
    if (opts.raw) return res;
    if (res.status === 204) return null;
    return res.json();
  }

  // -- messages --------------------------------------------------------------------------------

  function flash(message, kind = "error") {
    const box = document.getElementById("flash");
    if (!box) return;
    box.textContent = message;
    box.className = "flash flash-" + kind;
    box.hidden = !message;
    clearTimeout(flash.timer);
    if (message && kind !== "error") flash.timer = setTimeout(() => { box.hidden = true; }, 4000);
  }

  function clearErrors(scope) {
    (scope || document).querySelectorAll(".field-error, .form-error").forEach((el) => {
      el.textContent = "";
    });
    (scope || document).querySelectorAll(".has-error").forEach((el) => {
      el.classList.remove("has-error");
    });
  }

  // Show an API error next to the field it names (error.field), else in the form, else on top.
  function showError(err, scope) {
    const message = err && err.message ? err.message : String(err);
    if (scope) {
      const field = err && err.field;
      let target = null;
      if (field) {
        target = scope.querySelector(`[data-error-for="${CSS.escape(field)}"]`) ||
          scope.querySelector(`[data-error-for="${CSS.escape(field.split(".")[0])}"]`);
      }
      target = target || scope.querySelector(".form-error");
      if (target) {
        target.textContent = message;
        const input = field && scope.querySelector(`[name="${CSS.escape(field)}"]`);
        if (input) input.classList.add("has-error");
        return;
      }
    }
    flash(message, "error");
  }

  // -- live streams ----------------------------------------------------------------------------

  // Server-Sent Events over fetch, so the staff token can travel in a header. Reconnects with
  // Last-Event-ID after a drop, so nothing that happened meanwhile is missed.
  function stream(service, path, handlers) {
    let lastId = handlers.after != null ? String(handlers.after) : null;
    let retry = 2000;
    let stopped = false;
    let controller = null;
    const setState = (s) => { if (handlers.onState) handlers.onState(s); };

    async function connect() {
      while (!stopped) {
        controller = new AbortController();
        const headers = {Accept: "text/event-stream"};
        const tok = token();
        if (tok) headers.Authorization = "Bearer " + tok;
        if (lastId) headers["Last-Event-ID"] = lastId;
        try {
          const res = await fetch(BASE[service] + path, {headers, signal: controller.signal,
            cache: "no-store"});
          if (!res.ok || !res.body) throw new Error("HTTP " + res.status);
          setState("live");
          const reader = res.body.getReader();
          const decoder = new TextDecoder();
          let buffer = "";
          let ev = {id: null, type: "message", data: []};
          for (;;) {
            const {done, value} = await reader.read();
            if (done) break;
            buffer += decoder.decode(value, {stream: true});
            let nl;
            while ((nl = buffer.indexOf("\n")) >= 0) {
              const line = buffer.slice(0, nl).replace(/\r$/, "");
              buffer = buffer.slice(nl + 1);
              if (line === "") {
                if (ev.data.length) {
                  if (ev.id) lastId = ev.id;
                  let data = null;
                  try { data = JSON.parse(ev.data.join("\n")); } catch (e) { data = null; }
                  try { handlers.onEvent(ev.type, data, ev.id); } catch (e) { console.error(e); }
                }
                ev = {id: null, type: "message", data: []};
              } else if (line.startsWith(":")) {
                continue;
              } else {
                const colon = line.indexOf(":");
                const name = colon < 0 ? line : line.slice(0, colon);
                const val = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
                if (name === "id") ev.id = val;
                else if (name === "event") ev.type = val;
                else if (name === "data") ev.data.push(val);
                else if (name === "retry" && /^\d+$/.test(val)) retry = Number(val);
              }
            }
          }
        } catch (e) {
          if (stopped) return;
        }
        if (stopped) return;
        setState("reconnecting");
        await new Promise((r) => setTimeout(r, Math.max(retry, 500)));
      }
    }
    connect();
    return {
      close() { stopped = true; if (controller) controller.abort(); },
      get lastId() { return lastId; },
    };
  }

  // -- formatting ------------------------------------------------------------------------------

  const TZ = "Asia/Jakarta";
  const timeFmt = new Intl.DateTimeFormat("id-ID", {timeZone: TZ, hour: "2-digit",
    minute: "2-digit"});
  const dateTimeFmt = new Intl.DateTimeFormat("id-ID", {timeZone: TZ, day: "numeric",
    month: "short", year: "numeric", hour: "2-digit", minute: "2-digit"});
  const dayFmt = new Intl.DateTimeFormat("en-CA", {timeZone: TZ, year: "numeric",
    month: "2-digit", day: "2-digit"});
  const longDateFmt = new Intl.DateTimeFormat("id-ID", {timeZone: TZ, weekday: "long",
    day: "numeric", month: "long", year: "numeric"});

  // Times from the APIs are UTC; one without an offset (SQLite drops it) is UTC too.
  function parseTime(iso) {
    if (iso instanceof Date) return iso;
    const text = String(iso);
    return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : text + "Z");
  }

  const fmt = {
    parse: parseTime,
    time(iso) { return iso ? timeFmt.format(parseTime(iso)) + " WIB" : "—"; },
    dateTime(iso) { return iso ? dateTimeFmt.format(parseTime(iso)) + " WIB" : "—"; },
    longDate(date) { return longDateFmt.format(date || new Date()); },
    // The office's local calendar day (YYYY-MM-DD) of an instant.
    localDay(iso) { return dayFmt.format(iso ? parseTime(iso) : new Date()); },
    duration(ms) {
      const minutes = Math.max(0, Math.round(ms / 60000));
      if (minutes < 60) return `${minutes} menit`;
      const hours = Math.floor(minutes / 60);
      if (hours < 24) return `${hours} jam ${minutes % 60} menit`;
      return `${Math.floor(hours / 24)} hari ${hours % 24} jam`;
    },
    // "10.30 WIB" today, "30 Nov 2026, 07.33 WIB" on another day.
    when(iso) {
      if (!iso) return "—";
      return fmt.localDay(iso) === fmt.localDay() ? fmt.time(iso) : fmt.dateTime(iso);
    },
    // An SOP time standard (ISO 8601: PT5M, PT8H, P3D = working days) in words.
    standard(iso) {
      if (!iso) return "seperlunya";
      const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(iso);
      if (!m) return iso;
      const parts = [];
      if (m[1]) parts.push(`${m[1]} hari kerja`);
      if (m[2]) parts.push(`${m[2]} jam`);
      if (m[3]) parts.push(`${m[3]} menit`);
      return parts.join(" ") || iso;
    },
    label(code) {
      if (!code) return "";
      const text = String(code).replace(/[_-]+/g, " ");
      return text.charAt(0).toUpperCase() + text.slice(1);
    },
  };

  // -- DOM helpers -----------------------------------------------------------------------------

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value == null || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else if (key === "dataset") Object.assign(node.dataset, value);
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child == null || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  // Run an action from a button: disable it meanwhile, show the API's message on failure.
  // The button is marked busy rather than disabled, so a re-render during the call keeps the
  // enabled/disabled state it decides (e.g. "Panggil berikutnya" off while a ticket is called).
  async function busy(button, fn, scope) {
    if (button) {
      if (button.dataset.busy === "1") return undefined;
      button.dataset.busy = "1";
      button.setAttribute("aria-busy", "true");
    }
    try {
      if (scope) clearErrors(scope);
      return await fn();
    } catch (err) {
      showError(err, scope);
      return undefined;
    } finally {
      if (button) {
        delete button.dataset.busy;
        button.removeAttribute("aria-busy");
      }
    }
  }

  // Wrap a loader so runs never overlap: a call during a run asks for one more run after it.
  // Overlapping loads could finish out of order and paint stale data last.
  function serial(fn) {
    let running = null;
    let again = false;
    return function run() {
      if (running) { again = true; return running; }
      running = (async () => {
        try {
          do { again = false; await fn(); } while (again);
        } finally {
          running = null;
        }
      })();
      return running;
    };
  }

  // -- page frame ------------------------------------------------------------------------------

  function homeFor(roleList) {
    for (const [role, page] of HOME_ORDER) if (roleList.includes(role)) return page;
    return "meja";
  }

  function renderFrame(pageKey) {
    const nav = document.getElementById("nav");
    const who = document.getElementById("who");
    const me = staff();
    if (!nav || !me) return;
    const current = pageKey.startsWith("atur-") ? "atur-kantor" : pageKey;
    nav.replaceChildren(...PAGES.filter((p) => !p.sub && hasAny(...p.roles)).map((p) => el("a", {
      href: PAGE_URL(p.key), class: p.key === current ? "active" : null,
      "aria-current": p.key === pageKey ? "page" : null, text: p.label,
    })));
    who.hidden = false;
    document.getElementById("who-name").textContent =
      `${me.display_name || me.username} · ${(me.roles || []).map((r) => ROLE_LABELS[r] || r)
        .join(", ")}`;
    document.getElementById("logout").onclick = () => logout();
  }

  // Every page but the login: send strangers to the login, and the wrong role to its own page.
  function guard(pageKey) {
    if (!token() || !staff()) {
      window.location.replace(PAGE_URL("login"));
      return false;
    }
    renderFrame(pageKey);
    const page = PAGES.find((p) => p.key === pageKey);
    if (page && !hasAny(...page.roles)) {
      const main = document.querySelector("main");
      main.replaceChildren(el("section", {class: "card"},
        el("h1", {text: "Halaman ini bukan untuk peran Anda"}),
        el("p", {}, "Silakan buka ", el("a", {href: PAGE_URL(homeFor(roles())),
          text: "halaman kerja Anda"}), ".")));
      return false;
    }
    return true;
  }

  window.Loket = {
    BASE, PAGES, ROLE_LABELS, PRIORITY_LABELS, ApiError,
    token, staff, roles, hasAny, saveLogin, logout, homeFor, pageUrl: PAGE_URL,
    queue: (path, opts) => request("queue", path, opts),
    workflow: (path, opts) => request("workflow", path, opts),
    request,
    flash, clearErrors, showError, stream, fmt, el, busy, serial, guard, renderFrame,
  };
})();
