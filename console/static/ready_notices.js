// Parked "berkas siap diambil" messages to citizens (issue #20), on the supervisors' settings
// page: which case, which channel, how often it failed; "Coba lagi" puts one back in the queue.
// Loaded with `defer` after admin.js, which has already checked the page is the caller's.
(function () {
  "use strict";
  const L = window.Loket;
  const $ = (id) => document.getElementById(id);
  if (!L || !$("ready-table")) return;  // not a supervisor: admin.js replaced the page
  const el = L.el;
  const scope = $("ready-table").parentElement;
  const CHANNELS = {email: "E-mail", whatsapp: "WhatsApp/SMS"};

  async function load() {
    try {
      const data = await L.workflow("ready-notices/parked");
      $("ready-empty").hidden = data.notices.length > 0;
      document.querySelector("#ready-table tbody").replaceChildren(...data.notices.map((n) =>
        el("tr", {dataset: {noticeId: n.id}},
          el("td", {}, el("div", {text: `${n.tracking_code} · ${n.sop}`}),
            el("div", {class: "muted small", text: L.fmt.dateTime(n.created_at) +
              (n.last_error ? ` · ${n.last_error}` : "")})),
          el("td", {text: CHANNELS[n.channel] || n.channel}),
          el("td", {class: "num", text: n.attempts}),
          el("td", {}, el("button", {type: "button", class: "btn-primary btn-small",
            text: "Coba lagi", onclick: (ev) => L.busy(ev.currentTarget, async () => {
              await L.workflow(`ready-notices/${n.id}/retry`, {method: "POST"});
              L.flash("Pesan dijadwalkan ulang.", "ok");
              await load();
            }, scope)})))));
    } catch (err) { L.showError(err, scope); }
  }

  load();
})();
