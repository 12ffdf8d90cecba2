// The Camat's dashboard: figures per SOP, late steps, live SLA warnings, the queue at a glance.
// Every figure is counted by the server (reports/*); the page only lays them out.
(function () {
  "use strict";
  const L = window.Loket;
  if (!L.guard("dasbor")) return;
  const $ = (id) => document.getElementById(id);
  const el = L.el;

  const LEVEL_LABELS = {"sla.reminder": "Pengingat (75%)", "sla.breach": "Melewati batas waktu",
    "sla.escalation": "Eskalasi ke Camat"};
  const COUNTER_LABELS = {open: "Buka", paused: "Jeda", closed: "Tutup"};
  const state = {sops: {}, live: null, period: null, report: null, feed: []};

  function shorten(text, n) {
    if (!text) return "";
    return text.length > n ? text.slice(0, n - 1) + "…" : text;
  }

  function sopName(code) { return (state.sops[code] || {}).name || code; }

  function debounce(fn, ms) {
    let t = null;
    return () => { clearTimeout(t); t = setTimeout(fn, ms); };
  }

  // Today's period figures follow the live events; an older period never changes.
  let loadPeriod = async () => {};
  const refreshPeriod = debounce(() => loadPeriod(), 500);

  // -- live figures: counted by the server -----------------------------------------------------

  function renderLive(live) {
    $("kpi-open").textContent = String(live.totals.open);
    $("kpi-overdue").textContent = String(live.totals.overdue);
    $("kpi-done").textContent = String(live.totals.done_today);
    document.querySelector("#sop-table tbody").replaceChildren(...live.sops.map((r) =>
      el("tr", {dataset: {sop: r.sop}},
        el("td", {text: sopName(r.sop)}),
        el("td", {class: "num col-open", text: r.open}),
        el("td", {class: "num col-overdue", text: r.overdue,
          style: r.overdue ? "color:var(--bad);font-weight:800" : null}),
        el("td", {class: "num col-done", text: r.done_today}))));
  }

  // The server's stuck list: past the step's deadline, or too long at an outside office.
  function renderLate(stuck) {
    const now = Date.now();
    document.querySelector("#late-table tbody").replaceChildren(...stuck.map((c) => {
      const s = c.current_step;
      const h = c.stuck.handoff;
      const late = h ? "di Dinas " + L.fmt.duration(h.seconds_outside * 1000)
        : c.stuck.reason === "overdue" ? L.fmt.duration(now - L.fmt.parse(s.due_at).getTime())
          : "—";
      return el("tr", {dataset: {caseId: c.id, reason: c.stuck.reason}},
        el("td", {}, el("a", {href: L.pageUrl("meja") + "?kasus=" + c.id, text: c.tracking_code}),
          el("div", {class: "muted small", text: sopName(c.sop)})),
        el("td", {text: `${s.key}. ${shorten(s.activity, 80)}`},
          el("div", {class: "muted small", text: c.stuck.label})),
        el("td", {text: (L.ROLE_LABELS[s.role] || s.role) + (s.assignee ? ` (${s.assignee})` : "")}),
        el("td", {class: "num", style: "color:var(--bad);font-weight:700", text: late}));
    }));
    $("late-empty").hidden = stuck.length > 0;
  }

  const loadWorkflow = L.serial(async () => {
    try {
      const [live, stuck] = await Promise.all([
        L.workflow("reports/live"), L.workflow("cases/stuck"),
      ]);
      state.live = live;
      renderLive(live);
      renderLate(stuck.cases);
      $("updated").textContent = "diperbarui " + L.fmt.time(new Date());
      if (state.period && state.period.to === L.fmt.localDay()) refreshPeriod();
    } catch (err) {
      L.showError(err);
    }
  });

  // -- SLA feed --------------------------------------------------------------------------------

  function addFeed(type, data) {
    if (!data || !LEVEL_LABELS[type]) return;
    if (data.at && L.fmt.localDay(data.at) !== L.fmt.localDay()) return;  // today's only
    const c = data.case || {};
    const s = data.step || {};
    const item = el("li", {class: "lvl-" + type.split(".")[1], dataset: {eventId: data.id}},
      el("strong", {text: LEVEL_LABELS[type]}), " · ", L.fmt.time(data.at),
      el("div", {}, el("a", {href: L.pageUrl("meja") + "?kasus=" + c.id, text: c.tracking_code}),
        ` ${sopName(c.sop)} — langkah ${s.key || "?"} (${L.ROLE_LABELS[s.role] || s.role || "-"})`),
      data.notify_roles ? el("div", {class: "muted small", text: "Diberitahukan kepada: " +
        data.notify_roles.map((r) => L.ROLE_LABELS[r] || r).join(", ")}) : null);
    const feed = $("sla-feed");
    feed.prepend(item);
    while (feed.children.length > 40) feed.lastChild.remove();
    $("sla-empty").hidden = true;
  }

  // -- queue -----------------------------------------------------------------------------------

  async function loadQueue() {
    try {
      const board = await L.queue("board");
      const total = board.waiting.reduce((n, w) => n + w.waiting, 0);
      $("kpi-waiting").textContent = String(total);
      document.querySelector("#queue-waiting tbody").replaceChildren(...board.waiting.map((w) =>
        el("tr", {dataset: {service: w.service}}, el("td", {text: `${w.prefix} · ${w.name}`}),
          el("td", {class: "num", text: w.waiting}))));
      $("queue-counters").replaceChildren(...board.counters.map((c) => el("div",
        {class: "chip", dataset: {counterId: c.id}},
        el("b", {text: c.name}),
        el("span", {class: "pill pill-" + c.status, text: COUNTER_LABELS[c.status] || c.status}),
        el("div", {class: "small", text: c.current ? `Melayani ${c.current.number}` : "—"}))));
      return board;
    } catch (err) {
      L.showError(err);
      return null;
    }
  }

  // -- the period: queue figures, SOP compliance, charts, exports -------------------------------

  const minutes = (v) => (v === null || v === undefined ? "—" : `${String(v).replace(".", ",")} mnt`);
  const percent = (share) => (share === null || share === undefined ? "—"
    : `${Math.round(share * 1000) / 10}`.replace(".", ",") + " %");


  function periodRange(kind) {
    const today = L.fmt.localDay();
    const d = new Date(today + "T00:00:00");
    const shift = (days) => { const x = new Date(d); x.setDate(x.getDate() + days); return x; };
    const fmtLocal = (x) => `${x.getFullYear()}-${String(x.getMonth() + 1).padStart(2, "0")}-${String(x.getDate()).padStart(2, "0")}`;
    if (kind === "week") return {from: fmtLocal(shift(-((d.getDay() + 6) % 7))), to: today};
    if (kind === "month") return {from: today.slice(0, 8) + "01", to: today};
    if (kind === "last-month") {
      const first = new Date(d.getFullYear(), d.getMonth() - 1, 1);
      const last = new Date(d.getFullYear(), d.getMonth(), 0);
      return {from: fmtLocal(first), to: fmtLocal(last)};
    }
    return {from: today, to: today};
  }

  function shareBar(share) {
    const pct = share === null ? 0 : Math.round(share * 100);
    return el("div", {class: "share-cell"},
      el("span", {class: "share-bar" + (share !== null && share < 0.8 ? " share-low" : "")},
        el("i", {style: `width:${pct}%`})),
      el("span", {class: "share-text", text: percent(share)}));
  }

  function renderCompliance(data) {
    $("sop-shares").replaceChildren(...data.sops.filter((s) => s.on_time + s.late > 0).map((s) =>
      el("div", {class: "sop-share", dataset: {sop: s.sop}},
        el("b", {text: percent(s.on_time_share)}),
        el("span", {text: `${sopName(s.sop)}: ${s.on_time} tepat waktu, ${s.late} terlambat`}))));
    document.querySelector("#steps-table tbody").replaceChildren(...data.steps.map((s) =>
      el("tr", {dataset: {sop: s.sop, step: s.step}},
        el("td", {text: sopName(s.sop)}),
        el("td", {text: `${s.step}. ${shorten(s.activity, 70)}`}),
        el("td", {text: L.fmt.standard(s.time_standard)}),
        el("td", {class: "num", text: s.cases}),
        el("td", {class: "num col-on-time", text: s.on_time}),
        el("td", {class: "num col-late", text: s.late}),
        el("td", {class: "col-share"}, shareBar(s.on_time_share)),
        el("td", {class: "num", text: s.escalations}))));
    $("steps-empty").hidden = data.steps.length > 0;
    document.querySelector("#complaints-table tbody").replaceChildren(...data.complaints.map((c) =>
      el("tr", {dataset: {channel: c.channel}}, el("td", {text: L.fmt.label(c.channel)}),
        el("td", {class: "num", text: c.count}), el("td", {class: "num", text: c.closed}),
        el("td", {class: "num", text: c.median_days_to_close === null ? "—"
          : String(c.median_days_to_close).replace(".", ",")}))));
    document.querySelector("#complaint-categories-table tbody").replaceChildren(
      ...(data.complaint_categories || []).map((c) =>
        el("tr", {dataset: {category: c.category === null ? "" : c.category}},
          el("td", {text: c.label}),
          el("td", {class: "num col-count", text: c.count}),
          el("td", {class: "num col-closed", text: c.closed}),
          el("td", {class: "num", text: c.median_days_to_close === null ? "—"
            : String(c.median_days_to_close).replace(".", ",")}))));
  }

  // SKM/IKM of the period (GET /api/queue/skm, PermenPANRB 14/2017), drawn from the server's
  // figures; a reader without the right sees the dashes.
  const decimal = (v, digits) => (v === null || v === undefined ? "—"
    : v.toFixed(digits).replace(".", ","));

  function renderSkm(data) {
    $("skm-ikm").textContent = data ? decimal(data.ikm, 2) : "—";
    $("skm-mutu").textContent = data && data.mutu ? data.mutu : "—";
    $("skm-kinerja").textContent = data && data.kinerja ? `Mutu: ${data.kinerja}` : "Mutu pelayanan";
    $("skm-respondents").textContent = data ? String(data.respondents) : "—";
    $("skm-note").textContent = !data ? "SKM tidak dapat dimuat."
      : data.respondents === 0 ? "Belum ada responden SKM pada periode ini."
      : `Sampel minimal ${data.sample_needed} dari ${data.population} pengunjung terlayani`
        + (data.sample_reached ? " (terpenuhi)." : " (belum terpenuhi).")
        + (data.priority ? ` Prioritas perbaikan: ${data.priority.name}.` : "");
    document.querySelector("#skm-table tbody").replaceChildren(...(data ? data.unsur : []).map((u) =>
      el("tr", {dataset: {unsur: u.code}, class: u.priority ? "skm-priority" : ""},
        el("td", {text: u.name}), el("td", {class: "num", text: decimal(u.converted, 2)}))));
  }

  function queueRow(label, f, key) {
    return el("tr", {dataset: {key}}, el("td", {text: label}),
      el("td", {class: "num col-issued", text: f.issued}),
      el("td", {class: "num col-served", text: f.served}),
      el("td", {class: "num col-no-show", text: f.no_show}),
      el("td", {class: "num col-wait-median", text: minutes(f.waiting_minutes.median)}),
      el("td", {class: "num col-wait-p90", text: minutes(f.waiting_minutes.p90)}),
      el("td", {class: "num col-wait-max", text: minutes(f.waiting_minutes.max)}),
      el("td", {class: "num col-service-median", text: minutes(f.service_minutes.median)}));
  }

  function renderQueue(data) {
    document.querySelector("#queue-table tbody").replaceChildren(...data.by_service.map((s) =>
      queueRow(sopName(s.service), s, s.service)));
    document.querySelector("#queue-table tfoot").replaceChildren(queueRow("Jumlah", data.totals, "total"));
    document.querySelector("#counter-table tbody").replaceChildren(...data.by_counter.map((c) =>
      el("tr", {dataset: {counter: c.counter}}, el("td", {text: `Loket ${c.counter}`}),
        el("td", {class: "num", text: c.issued}), el("td", {class: "num", text: c.served}),
        el("td", {class: "num", text: minutes(c.waiting_minutes.median)}),
        el("td", {class: "num", text: minutes(c.service_minutes.median)}))));
    document.querySelector("#officer-table tbody").replaceChildren(...data.by_officer.map((o) =>
      el("tr", {dataset: {officer: o.officer}}, el("td", {text: o.officer}),
        el("td", {class: "num", text: o.served}),
        el("td", {class: "num", text: minutes(o.service_minutes.median)}),
        el("td", {class: "num", text: minutes(o.service_minutes.p90)}))));
  }

  async function loadChart(kind, q) {
    const res = await L.request("queue", `reports/chart?kind=${kind}&${q}`, {raw: true});
    // The server draws the SVG from its own figures; parse it as XML, never as HTML.
    const doc = new DOMParser().parseFromString(await res.text(), "image/svg+xml");
    $("chart-" + kind).replaceChildren(document.importNode(doc.documentElement, true));
  }

  loadPeriod = L.serial(async () => {
    const period = state.period;
    if (!period) return;
    const q = `from=${period.from}&to=${period.to}`;
    try {
      L.clearErrors(document.getElementById("period-form").parentNode);
      const [queue, compliance, skm] = await Promise.all([
        L.queue("reports/summary?" + q), L.workflow("reports/compliance?" + q),
        L.queue("skm?" + q).catch(() => null)]);
      state.report = {queue, compliance, skm};
      renderQueue(queue);
      renderCompliance(compliance);
      renderSkm(skm);
      $("period-label").textContent = period.from === period.to
        ? `Periode: ${period.from}` : `Periode: ${period.from} s.d. ${period.to}`;
      await Promise.all([loadChart("hour", q), loadChart("day", q)]);
    } catch (err) {
      L.showError(err, document.getElementById("period-form").parentNode);
    }
  });

  async function download(service, path, filename) {
    try {
      const res = await L.request(service, path, {raw: true});
      const url = URL.createObjectURL(await res.blob());
      const link = el("a", {href: url, download: filename});
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    } catch (err) { L.showError(err); }
  }

  const EXPORTS = {
    "tickets-csv": ["queue", "reports/tickets", "csv", "tiket"],
    "tickets-xlsx": ["queue", "reports/tickets", "xlsx", "tiket"],
    "compliance-csv": ["workflow", "reports/compliance", "csv", "kepatuhan-sop"],
    "compliance-xlsx": ["workflow", "reports/compliance", "xlsx", "kepatuhan-sop"],
  };

  function setupPeriod() {
    const pick = (kind) => {
      if (kind !== "custom") {
        const range = periodRange(kind);
        $("from").value = range.from;
        $("to").value = range.to;
      }
    };
    $("period").addEventListener("change", () => {
      pick($("period").value);
      if ($("period").value !== "custom") {
        state.period = {from: $("from").value, to: $("to").value};
        loadPeriod();
      }
    });
    $("period-form").addEventListener("submit", (e) => {
      e.preventDefault();
      state.period = {from: $("from").value, to: $("to").value};
      loadPeriod();
    });
    for (const button of document.querySelectorAll("[data-export]")) {
      button.addEventListener("click", () => {
        const [service, path, format, name] = EXPORTS[button.dataset.export];
        const p = state.period || periodRange("today");
        download(service, `${path}?from=${p.from}&to=${p.to}&format=${format}`,
          `${name}-${p.from}-${p.to}.${format}`);
      });
    }
    pick("today");
    state.period = {from: $("from").value, to: $("to").value};
  }

  // -- staffing forecast -----------------------------------------------------------------------

  async function loadForecast() {
    const form = $("forecast-form");
    const params = new URLSearchParams({
      target_wait_minutes: $("fc-wait").value, target_share: String(Number($("fc-share").value) / 100),
      weeks: $("fc-weeks").value});
    if ($("fc-planned").value) params.set("planned", $("fc-planned").value);
    try {
      L.clearErrors(form.parentNode);
      const data = await L.queue("forecast/table?" + params);
      state.forecast = data;
      if (!$("fc-planned").value) $("fc-planned").value = String(data.planned);
      $("forecast-note").textContent = `Dari riwayat ${data.from} s.d. ${data.to}. Angka besar: `
        + `loket yang dibutuhkan agar ${Math.round(data.target_share * 100)} % pengunjung menunggu `
        + `paling lama ${data.target_wait_minutes} menit; di bawahnya: rata-rata tunggu bila `
        + `${data.planned} loket dibuka.`;
      document.querySelector("#forecast-table thead").replaceChildren(el("tr", {},
        el("th", {text: "Hari"}), ...data.hours.map((h) => el("th", {text: `${String(h).padStart(2, "0")}.00`}))));
      document.querySelector("#forecast-table tbody").replaceChildren(...data.table.map((row) =>
        el("tr", {dataset: {weekday: row.weekday}}, el("th", {text: row.weekday_name}),
          ...row.hours.map((c) => el("td", {
            class: "need " + (c.counters > data.planned ? "short" : "enough"),
            dataset: {hour: c.hour}, title: `${c.arrivals_per_hour} pengunjung/jam, ` +
              `${c.service_minutes} menit per pengunjung`},
          String(c.counters), el("small", {text: c.planned_mean_wait_minutes === null
            ? "antrean memanjang" : `${String(c.planned_mean_wait_minutes).replace(".", ",")} mnt`}))))));
    } catch (err) {
      L.showError(err, form.parentNode);
    }
  }

  async function forecastOne(e) {
    e.preventDefault();
    const form = $("forecast-one");
    const params = new URLSearchParams({arrivals_per_hour: $("fc-arrivals").value,
      service_minutes: $("fc-minutes").value, target_wait_minutes: $("fc-wait").value,
      target_share: String(Number($("fc-share").value) / 100)});
    try {
      L.clearErrors(form.parentNode);
      const r = await L.queue("forecast?" + params);
      $("fc-one-result").textContent = `Butuh ${r.counters} loket: ${percent(r.service_level)} `
        + `pengunjung menunggu paling lama ${$("fc-wait").value} menit; `
        + `${percent(r.probability_wait)} harus menunggu.`;
    } catch (err) {
      $("fc-one-result").textContent = "";
      L.showError(err, form.parentNode);
    }
  }

  // -- the monthly report (PDF, made by a Celery worker) ----------------------------------------

  async function requestMonthly(e) {
    e.preventDefault();
    const form = $("monthly-form");
    $("monthly-link").hidden = true;
    try {
      L.clearErrors(form.parentNode);
      let job = await L.queue("reports/monthly", {method: "POST", body: {month: $("month").value}});
      for (let i = 0; i < 240 && job.state !== "done" && job.state !== "failed"; i++) {
        $("monthly-state").textContent = `Sedang dibuat… ${job.progress} %`;
        await new Promise((r) => setTimeout(r, 1000));
        job = await L.queue("reports/monthly/" + job.id);
      }
      if (job.state !== "done") {
        $("monthly-state").textContent = "Laporan gagal dibuat; coba lagi.";
        return;
      }
      $("monthly-state").textContent = `Laporan ${job.month} siap.`;
      const link = $("monthly-link");
      link.hidden = false;
      link.onclick = (ev) => {
        ev.preventDefault();
        download("queue", `reports/monthly/${job.id}/pdf`, `laporan-bulanan-${job.month}.pdf`);
      };
    } catch (err) {
      L.showError(err, form.parentNode);
    }
  }

  function setupReports() {
    setupPeriod();
    $("forecast-form").addEventListener("submit", (e) => { e.preventDefault(); loadForecast(); });
    $("forecast-one").addEventListener("submit", forecastOne);
    const today = L.fmt.localDay();
    const prev = new Date(Number(today.slice(0, 4)), Number(today.slice(5, 7)) - 2, 1);
    $("month").value = `${prev.getFullYear()}-${String(prev.getMonth() + 1).padStart(2, "0")}`;
    $("monthly-form").addEventListener("submit", requestMonthly);
    loadForecast();
  }

  // -- start -----------------------------------------------------------------------------------


  async function start() {
    $("today").textContent = L.fmt.longDate();
    setupReports();
    try {
      const sops = await L.workflow("sops");
      for (const s of sops.sops) state.sops[s.code] = s;
    } catch (err) { L.showError(err); }
    const [board] = await Promise.all([loadQueue(), loadWorkflow()]);
    loadPeriod();
    const refreshWorkflow = debounce(loadWorkflow, 300);
    const refreshQueue = debounce(L.serial(loadQueue), 200);
    L.stream("workflow", "events", {
      onEvent: (type, data) => {
        if (type.startsWith("sla.")) addFeed(type, data);
        if (type === "reset" || type.startsWith("case.") || type.startsWith("step.") ||
            type.startsWith("sla.")) {
          refreshWorkflow();
        }
      },
      onState: (s) => {
        $("live-state").textContent = s === "live" ? "Langsung" : "Menyambung ulang…";
        $("live-state").className = "live-state live-" + s;
      },
    });
    L.stream("queue", "events", {
      after: board ? board.last_event_id : null,
      onEvent: (type) => {
        if (type === "reset" || type.startsWith("ticket.") || type.startsWith("counter.")) {
          refreshQueue();
        }
      },
    });
    // SLA fractions grow with the clock even when nothing happens.
    setInterval(loadWorkflow, 60000);
  }

  window.loketDashboard = state;
  start();
})();
