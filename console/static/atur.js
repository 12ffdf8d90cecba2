// Administration pages (admin only): office profile, services, counters, staff, devices, audit.
// Every form sends what the admin API expects; the API validates and its message is shown next
// to the field it names.
(function () {
  "use strict";
  const L = window.Loket;
  const page = document.body.dataset.page;
  if (!L.guard(page)) return;
  const $ = (id) => document.getElementById(id);
  const el = L.el;
  const ROLES = ["petugas", "operator", "kasi", "sekcam", "camat", "admin"];
  const ENTITY_LABELS = {office: "Kantor", service: "Layanan", counter: "Loket",
    staff: "Petugas", device: "Perangkat"};
  const ACTION_LABELS = {create: "Dibuat", update: "Diubah", deactivate: "Dinonaktifkan",
    reset_password: "Kata sandi diatur ulang", revoke: "Token dicabut"};
  const dateTime = new Intl.DateTimeFormat("id-ID", {timeZone: "Asia/Jakarta",
    dateStyle: "medium", timeStyle: "short"});
  const when = (iso) => (iso ? dateTime.format(new Date(iso)) : "—");
  const val = (form, name) => form.elements[name].value.trim();
  const orNull = (text) => (text === "" ? null : text);
  const lines = (text) => text.split("\n").map((s) => s.trim()).filter(Boolean);
  const numberOrNull = (text) => (text === "" ? null : Number(text));

  function checks(box, name, items, chosen) {
    box.replaceChildren(...items.map(([value, label]) => el("label", {class: "check"},
      el("input", {type: "checkbox", name, value, checked: chosen.includes(value)}), label)));
  }
  const checked = (box) => [...box.querySelectorAll("input:checked")].map((i) => i.value);
  const button = (text, onclick, cls = "btn-secondary btn-small") =>
    el("button", {type: "button", class: cls, text, onclick});

  // -- office ----------------------------------------------------------------------------------

  function hoursText(hours) {
    return Object.entries(hours || {}).map(([days, ranges]) =>
      `${days} ${[].concat(ranges).join(", ")}`).join("\n");
  }
  function hoursValue(text) {
    const out = {};
    for (const line of lines(text)) {
      const [days, ...rest] = line.split(/\s+/);
      const ranges = rest.join(" ").split(",").map((s) => s.trim()).filter(Boolean);
      out[days] = ranges.length === 1 ? ranges[0] : ranges;
    }
    return out;
  }

  // Where each section and official sits (the guest is shown the way): one row each.
  async function roomRows(rooms) {
    const sectionList = (await L.queue("staff")).sections || [];
    const keys = [...sectionList.map((x) => [x.code, x.name]),
      ["camat", "Camat"], ["sekcam", "Sekretaris Camat"]];
    $("rooms-grid").replaceChildren(...keys.map(([key, label]) => el("fieldset",
      {class: "form-grid", dataset: {room: key}}, el("legend", {text: label}),
      el("label", {}, "Nama ruang ", el("input", {name: `rooms.${key}.room`, maxlength: "80",
        value: (rooms[key] || {}).room || ""})),
      el("label", {}, "Lantai ", el("input", {name: `rooms.${key}.floor`, maxlength: "20",
        value: (rooms[key] || {}).floor || ""})),
      el("p", {class: "field-error wide", dataset: {errorFor: `rooms.${key}.room`}}))));
    return () => Object.fromEntries(keys.map(([key]) => [key,
      val($("office-form"), `rooms.${key}.room`) ? {room: val($("office-form"), `rooms.${key}.room`),
        floor: orNull(val($("office-form"), `rooms.${key}.floor`))} : null]));
  }

  async function office() {
    const form = $("office-form");
    const data = await L.queue("admin/office");
    const roomsValue = await roomRows(data.rooms || {});
    for (const name of ["name", "kabupaten", "address", "phone", "logo_url", "timezone"]) {
      form.elements[name].value = data[name] || "";
    }
    form.elements.opening_hours.value = hoursText(data.opening_hours);
    for (const role of ["camat", "sekcam"]) {
      for (const key of ["name", "nip", "rank"]) {
        form.elements[`officials.${role}.${key}`].value = ((data.officials || {})[role] || {})[key] || "";
      }
    }
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const officials = {};
      for (const role of ["camat", "sekcam"]) {
        const person = {name: val(form, `officials.${role}.name`),
          nip: orNull(val(form, `officials.${role}.nip`)),
          rank: orNull(val(form, `officials.${role}.rank`))};
        if (person.name || person.nip || person.rank) officials[role] = person;
      }
      const body = {name: val(form, "name"), kabupaten: orNull(val(form, "kabupaten")),
        address: orNull(val(form, "address")), phone: orNull(val(form, "phone")),
        logo_url: orNull(val(form, "logo_url")), timezone: val(form, "timezone"),
        opening_hours: hoursValue(form.elements.opening_hours.value), officials,
        rooms: roomsValue()};
      $("office-saved").textContent = "";
      L.busy($("btn-save-office"), async () => {
        await L.queue("admin/office", {method: "PUT", body});
        $("office-saved").textContent = "Tersimpan " + L.fmt.time(new Date()) + ".";
      }, form);
    });
  }

  // -- services --------------------------------------------------------------------------------

  async function services() {
    const form = $("service-form");
    let editing = null;
    function edit(s) {
      editing = s;
      L.clearErrors(form);
      $("service-form-title").firstChild.textContent = s ? "Ubah layanan " : "Layanan baru ";
      $("service-code").textContent = s ? s.code : "";
      form.elements.sop.disabled = !!s;
      form.elements.sop.value = s ? s.sop : "";
      form.elements.name.value = s ? s.name : "";
      form.elements.prefix.value = s ? s.prefix : "";
      form.elements.fee.value = s ? s.fee : "gratis";
      form.elements.product.value = (s && s.product) || "";
      form.elements.daily_quota.value = (s && s.daily_quota) || "";
      form.elements.open.checked = s ? s.open : true;
      form.elements.bring.value = s ? s.bring.join("\n") : "";
    }
    async function load() {
      const data = await L.queue("admin/services");
      $("services-table").tBodies[0].replaceChildren(...data.services.map((s) =>
        el("tr", {dataset: {code: s.code}}, el("td", {text: s.code}), el("td", {text: s.name}),
          el("td", {text: s.prefix}),
          el("td", {}, el("span", {class: "pill " + (s.open ? "pill-open" : "pill-closed"),
            text: s.open ? "Buka" : "Tutup"})),
          el("td", {text: s.fee}), el("td", {class: "num", text: s.daily_quota || "—"}),
          el("td", {text: (s.bring_is_demo ? "(contoh) " : "") + s.bring.length + " butir"}),
          el("td", {}, button("Ubah", () => edit(s))))));
      return data.services;
    }
    const list = await load();
    edit(list[0] || null);
    $("btn-new-service").addEventListener("click", () => edit(null));
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const body = {name: val(form, "name"), prefix: val(form, "prefix"),
        open: form.elements.open.checked, bring: lines(form.elements.bring.value),
        fee: val(form, "fee"), product: orNull(val(form, "product")),
        daily_quota: numberOrNull(val(form, "daily_quota"))};
      L.busy($("btn-save-service"), async () => {
        const saved = editing
          ? await L.queue(`admin/services/${encodeURIComponent(editing.code)}`, {method: "PUT", body})
          : await L.queue("admin/services", {method: "POST", body: {...body, sop: val(form, "sop")}});
        L.flash(`Layanan ${saved.name} tersimpan.`, "ok");
        await load();
        edit(saved);
      }, form);
    });
  }

  // -- counters --------------------------------------------------------------------------------

  async function counters() {
    const form = $("counter-form");
    const catalog = (await L.queue("admin/services")).services.map((s) => [s.code, s.name]);
    let editing = null;
    function edit(c) {
      editing = c;
      L.clearErrors(form);
      $("counter-form-title").textContent = c ? `Ubah ${c.name}` : "Loket baru";
      form.elements.name.value = c ? c.name : "";
      form.elements.tv_order.value = c ? c.tv_order : "";
      checks($("counter-services"), "services", catalog, c ? c.services : []);
    }
    async function load() {
      const data = await L.queue("admin/counters");
      $("counters-table").tBodies[0].replaceChildren(...data.counters.map((c) =>
        el("tr", {dataset: {id: c.id}}, el("td", {class: "num", text: c.number}),
          el("td", {text: c.name}), el("td", {text: c.services.join(", ")}),
          el("td", {class: "num", text: c.tv_order}),
          el("td", {}, button("Ubah", () => edit(c))))));
    }
    await load();
    edit(null);
    $("btn-new-counter").addEventListener("click", () => edit(null));
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const body = {name: val(form, "name"), services: checked($("counter-services"))};
      if (val(form, "tv_order") !== "") body.tv_order = Number(val(form, "tv_order"));
      L.busy($("btn-save-counter"), async () => {
        const saved = editing
          ? await L.queue(`admin/counters/${editing.id}`, {method: "PUT", body})
          : await L.queue("admin/counters", {method: "POST", body});
        L.flash(`${saved.name} tersimpan.`, "ok");
        await load();
        edit(null);
      }, form);
    });
  }

  // -- staff -----------------------------------------------------------------------------------

  async function staff() {
    const form = $("staff-form");
    const counterList = (await L.queue("admin/counters")).counters;
    $("staff-counter").replaceChildren(el("option", {value: "", text: "—"}),
      ...counterList.map((c) => el("option", {value: c.id, text: c.name})));
    const counterName = (id) => (counterList.find((c) => c.id === id) || {}).name || "—";
    // The office file's sections, the one list the workflow's section-owned steps use.
    const sectionList = (await L.queue("staff")).sections || [];
    $("staff-section").replaceChildren(el("option", {value: "", text: "—"}),
      ...sectionList.map((x) => el("option", {value: x.code, text: x.name})));
    const sectionCode = (name) => (sectionList.find((x) => x.name === name || x.code === name)
      || {}).code || "";
    let editing = null;
    let resetting = null;
    function edit(s) {
      editing = s;
      L.clearErrors(form);
      $("staff-form-title").textContent = s ? `Ubah ${s.username}` : "Petugas baru";
      $("staff-password-label").hidden = !!s;
      for (const name of ["username", "full_name", "nip"]) {
        form.elements[name].value = (s && s[name]) || "";
      }
      form.elements.section.value = s ? sectionCode(s.section) : "";
      form.elements.password.value = "";
      form.elements.counter_id.value = (s && s.counter_id) || "";
      checks($("staff-roles"), "roles", ROLES.map((r) => [r, L.ROLE_LABELS[r] || r]),
        s ? s.roles : ["petugas"]);
    }
    async function load() {
      const data = await L.queue("admin/staff");
      $("staff-table").tBodies[0].replaceChildren(...data.staff.map((s) =>
        el("tr", {dataset: {username: s.username}}, el("td", {text: s.username}),
          el("td", {text: s.full_name}),
          el("td", {text: s.roles.map((r) => L.ROLE_LABELS[r] || r).join(", ")}),
          el("td", {text: s.section || "—"}), el("td", {text: counterName(s.counter_id)}),
          el("td", {}, el("span", {class: "pill " + (s.active ? "pill-open" : "pill-closed"),
            text: s.active ? (s.must_change_password ? "Aktif · ganti sandi" : "Aktif")
              : "Nonaktif"})),
          el("td", {class: "btn-row"}, button("Ubah", () => edit(s)),
            s.active && button("Sandi", () => {
              resetting = s;
              $("reset-who").textContent = s.username;
              $("reset-card").hidden = false;
            }),
            s.active && button("Nonaktifkan", (ev) => L.busy(ev.currentTarget, async () => {
              await L.queue(`admin/staff/${s.id}/deactivate`, {method: "POST"});
              L.flash(`${s.username} dinonaktifkan.`, "ok");
              await load();
            }, form), "btn-danger btn-small")))));
    }
    await load();
    edit(null);
    $("btn-new-staff").addEventListener("click", () => edit(null));
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const body = {username: val(form, "username"), full_name: val(form, "full_name"),
        nip: orNull(val(form, "nip")), section: orNull(val(form, "section")),
        roles: checked($("staff-roles")),
        counter_id: val(form, "counter_id") ? Number(val(form, "counter_id")) : null};
      if (!editing) body.password = form.elements.password.value;
      L.busy($("btn-save-staff"), async () => {
        const saved = editing
          ? await L.queue(`admin/staff/${editing.id}`, {method: "PUT", body})
          : await L.queue("admin/staff", {method: "POST", body});
        L.flash(`${saved.username} tersimpan.`, "ok");
        await load();
        edit(null);
      }, form);
    });
    $("reset-form").addEventListener("submit", (ev) => {
      ev.preventDefault();
      const scope = ev.currentTarget;
      L.busy($("btn-reset"), async () => {
        await L.queue(`admin/staff/${resetting.id}/password`, {method: "POST",
          body: {password: scope.elements.password.value}});
        scope.elements.password.value = "";
        $("reset-card").hidden = true;
        L.flash(`Kata sandi ${resetting.username} diatur ulang; wajib diganti saat masuk.`, "ok");
        await load();
      }, scope);
    });
  }

  // -- devices ---------------------------------------------------------------------------------

  async function devices() {
    const form = $("device-form");
    async function load() {
      const data = await L.queue("admin/devices");
      $("devices-table").tBodies[0].replaceChildren(...data.devices.map((d) =>
        el("tr", {dataset: {id: d.id}}, el("td", {text: d.name}),
          el("td", {text: d.kind === "kiosk" ? "Kiosk" : "TV"}), el("td", {text: d.place || "—"}),
          el("td", {text: when(d.last_seen_at)}),
          el("td", {}, el("span", {class: "pill " + (d.active ? "pill-open" : "pill-closed"),
            text: d.active ? "Aktif" : "Dicabut"})),
          el("td", {}, d.active && button("Cabut", (ev) => L.busy(ev.currentTarget, async () => {
            await L.queue(`admin/devices/${d.id}/revoke`, {method: "POST"});
            L.flash(`Token ${d.name} dicabut.`, "ok");
            await load();
          }, form), "btn-danger btn-small")))));
    }
    await load();
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const body = {kind: val(form, "kind"), name: val(form, "name"),
        place: orNull(val(form, "place"))};
      L.busy($("btn-add-device"), async () => {
        const made = await L.queue("admin/devices", {method: "POST", body});
        $("new-token-text").textContent = made.token;
        // The SVG is the server's own rendering of the token (qrcode library), no script in it.
        const svg = new DOMParser().parseFromString(made.qr_svg, "image/svg+xml").documentElement;
        $("new-token-qr").replaceChildren(document.importNode(svg, true));
        $("new-token").hidden = false;
        form.reset();
        await load();
      }, form);
    });
  }

  // -- audit -----------------------------------------------------------------------------------

  function changes(entry) {
    const before = entry.before || {};
    const after = entry.after || {};
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])]
      .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]) && k !== "id");
    const show = (v) => (v == null ? "—" : typeof v === "object" ? JSON.stringify(v) : String(v));
    if (!entry.before) return keys.map((k) => `${k}: ${show(after[k])}`).join("; ");
    return keys.map((k) => `${k}: ${show(before[k])} → ${show(after[k])}`).join("; ");
  }

  async function audit() {
    const form = $("audit-filter");
    const scope = form.parentElement;
    async function load() {
      const params = new URLSearchParams();
      for (const name of ["actor", "entity", "since"]) {
        if (val(form, name)) params.set(name, val(form, name));
      }
      const data = await L.queue("admin/audit?" + params.toString());
      $("audit-empty").hidden = data.entries.length > 0;
      $("audit-table").tBodies[0].replaceChildren(...data.entries.map((e) =>
        el("tr", {dataset: {entity: e.entity, action: e.action}}, el("td", {text: when(e.at)}),
          el("td", {text: e.actor}), el("td", {text: ACTION_LABELS[e.action] || e.action}),
          el("td", {text: `${ENTITY_LABELS[e.entity] || e.entity} ${e.entity_id || ""}`}),
          el("td", {class: "small", text: changes(e)}))));
    }
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      L.busy($("btn-filter"), load, scope);
    });
    await load();
  }

  const SECTIONS = {"atur-kantor": office, "atur-layanan": services, "atur-loket": counters,
    "atur-petugas": staff, "atur-perangkat": devices, "atur-audit": audit};
  SECTIONS[page]().catch((err) => L.showError(err, document.querySelector("main .card")));
})();
