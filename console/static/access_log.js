// The access log of personal data on the audit page (admin only): who opened a visitor's full
// NIK or phone number, when, which ticket or case, and why (GET /api/queue/admin/access-log).
(function () {
  "use strict";
  const L = window.Loket;
  const $ = (id) => document.getElementById(id);
  const form = $("access-filter");
  if (!form || document.body.dataset.page !== "atur-audit") return;
  const el = L.el;
  const PER_PAGE = 50;
  const dateTime = new Intl.DateTimeFormat("id-ID", {timeZone: "Asia/Jakarta",
    dateStyle: "medium", timeStyle: "short"});
  const RECORDS = {ticket: "Tiket", "case": "Kasus"};
  const FIELDS = {nik: "NIK", phone: "telepon"};
  const scope = form.parentElement;
  let page = 1;

  async function load() {
    const params = new URLSearchParams({page: String(page), per_page: String(PER_PAGE)});
    for (const name of ["from", "to", "staff"]) {
      const value = form.elements[name].value.trim();
      if (value) params.set(name, value);
    }
    const data = await L.queue("admin/access-log?" + params.toString());
    const pages = Math.max(1, Math.ceil(data.total / data.per_page));
    $("access-empty").hidden = data.entries.length > 0;
    $("access-table").tBodies[0].replaceChildren(...data.entries.map((e) =>
      el("tr", {dataset: {staff: e.staff, record: `${e.record.kind}-${e.record.id}`}},
        el("td", {text: dateTime.format(new Date(e.at))}), el("td", {text: e.staff}),
        el("td", {text: `${RECORDS[e.record.kind] || e.record.kind} #${e.record.id}`}),
        el("td", {text: e.fields.map((f) => FIELDS[f] || f).join(", ")}),
        el("td", {class: "small", text: e.reason}))));
    $("access-page").textContent = `Halaman ${data.page} dari ${pages} (${data.total} akses)`;
    $("access-prev").disabled = data.page <= 1;
    $("access-next").disabled = data.page >= pages;
  }

  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    page = 1;
    L.busy($("btn-access"), load, scope);
  });
  $("access-prev").addEventListener("click", () => {
    page = Math.max(1, page - 1);
    L.busy($("access-prev"), load, scope);
  });
  $("access-next").addEventListener("click", () => {
    page += 1;
    L.busy($("access-next"), load, scope);
  });
  load().catch((err) => L.showError(err, scope));
})();
