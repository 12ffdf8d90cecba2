// Settings for supervisors: the TV's running text, the local calendar, parked notifications.
(function () {
  "use strict";
  const L = window.Loket;
  if (!L.guard("admin")) return;
  const $ = (id) => document.getElementById(id);
  const el = L.el;
  const KIND_LABELS = {closed: "Libur", open: "Hari kerja tambahan"};
  const dateFmt = new Intl.DateTimeFormat("id-ID", {timeZone: "UTC", weekday: "long",
    day: "numeric", month: "long", year: "numeric"});

  // -- running text ----------------------------------------------------------------------------

  async function loadAnnouncements() {
    try {
      const data = await L.queue("announcements");
      $("announcements").value = data.announcements.join("\n");
    } catch (err) {
      L.showError(err, $("announcements-form"));
    } finally {
      // Editable only once loaded, so the load never overwrites what somebody typed.
      $("announcements").disabled = false;
      $("btn-save-announcements").disabled = false;
    }
  }

  $("announcements-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const form = ev.currentTarget;
    const lines = $("announcements").value.split("\n").map((s) => s.trim()).filter(Boolean);
    $("announcements-saved").textContent = "";
    L.busy($("btn-save-announcements"), async () => {
      const data = await L.queue("announcements", {method: "PUT", body: {announcements: lines}});
      $("announcements").value = data.announcements.join("\n");
      $("announcements-saved").textContent = "Tersimpan " + L.fmt.time(new Date()) +
        ". TV menampilkannya sekarang.";
    }, form);
  });

  // -- calendar --------------------------------------------------------------------------------

  const calendarScope = $("override-form").parentElement;

  async function loadOverrides() {
    try {
      const data = await L.workflow("calendar/overrides");
      $("overrides-empty").hidden = data.overrides.length > 0;
      document.querySelector("#overrides-table tbody").replaceChildren(...data.overrides.map((o) =>
        el("tr", {dataset: {date: o.date}},
          el("td", {text: dateFmt.format(new Date(o.date + "T00:00:00Z"))}),
          el("td", {}, el("span", {class: "pill " + (o.kind === "closed" ? "pill-closed" :
            "pill-open"), text: KIND_LABELS[o.kind] || o.kind})),
          el("td", {text: o.name}),
          el("td", {}, el("button", {type: "button", class: "btn-secondary btn-small",
            text: "Hapus", onclick: (ev) => L.busy(ev.currentTarget, async () => {
              await L.workflow(`calendar/overrides/${o.date}`, {method: "DELETE"});
              L.flash(`Pengaturan ${o.date} dihapus.`, "ok");
              await loadOverrides();
            }, calendarScope)})))));
    } catch (err) { L.showError(err, calendarScope); }
  }

  $("override-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const form = ev.currentTarget;
    const body = {date: form.date.value, kind: form.kind.value, name: form.name.value.trim()};
    L.busy($("btn-add-override"), async () => {
      await L.workflow("calendar/overrides", {method: "POST", body});
      form.reset();
      L.flash("Tanggal ditambahkan ke kalender kantor.", "ok");
      await loadOverrides();
    }, calendarScope);
  });

  // -- incidents -------------------------------------------------------------------------------

  const incidentScope = $("incidents-table").parentElement;

  async function loadIncidents() {
    try {
      const data = await L.workflow("incidents");
      $("incidents-empty").hidden = data.incidents.length > 0;
      document.querySelector("#incidents-table tbody").replaceChildren(...data.incidents.map((n) =>
        el("tr", {dataset: {incidentId: n.id}},
          el("td", {}, el("div", {text: n.subject}), el("div", {class: "muted small",
            text: `untuk ${L.ROLE_LABELS[n.recipient_role] || n.recipient_role} · ` +
              L.fmt.dateTime(n.created_at) + (n.last_error ? ` · ${n.last_error}` : "")})),
          el("td", {text: n.channel}),
          el("td", {class: "num", text: n.attempts}),
          el("td", {}, el("button", {type: "button", class: "btn-primary btn-small",
            text: "Coba lagi", onclick: (ev) => L.busy(ev.currentTarget, async () => {
              await L.workflow(`incidents/${n.id}/retry`, {method: "POST"});
              L.flash("Notifikasi dijadwalkan ulang.", "ok");
              await loadIncidents();
            }, incidentScope)})))));
    } catch (err) { L.showError(err, incidentScope); }
  }

  loadAnnouncements();
  loadOverrides();
  loadIncidents();
})();
