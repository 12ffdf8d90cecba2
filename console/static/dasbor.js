// The Camat's dashboard: figures per SOP, late steps, live SLA warnings, the queue at a glance.
// Every figure is counted here from the public API responses; no server aggregation.
(function () {
  "use strict";
  const L = window.Loket;
  if (!L.guard("dasbor")) return;
  const $ = (id) => document.getElementById(id);
  const el = L.el;

  const LEVEL_LABELS = {"sla.reminder": "Pengingat (75%)", "sla.breach": "Melewati batas waktu",
    "sla.escalation": "Eskalasi ke Camat"};
  const COUNTER_LABELS = {open: "Buka", paused: "Jeda", closed: "Tutup"};
  const state = {sops: {}, figures: null, feed: []};

  function shorten(text, n) {
    if (!text) return "";
    return text.length > n ? text.slice(0, n - 1) + "…" : text;
  }

  function sopName(code) { return (state.sops[code] || {}).name || code; }

  // -- workflow figures ------------------------------------------------------------------------

  function figures(openCases, doneCases, today) {
    const rows = {};
    const row = (code) => (rows[code] = rows[code] || {open: 0, overdue: 0, doneToday: 0});
    Object.keys(state.sops).forEach(row);
    const late = [];
    for (const c of openCases) {
      const r = row(c.sop);
      r.open += 1;
      if (c.current_step && c.current_step.overdue) {
        r.overdue += 1;
        late.push(c);
      }
    }
    for (const c of doneCases) {
      if (c.closed_at && L.fmt.localDay(c.closed_at) === today) row(c.sop).doneToday += 1;
    }
    const dueMs = (c) => L.fmt.parse(c.current_step.due_at).getTime();
    late.sort((a, b) => dueMs(a) - dueMs(b));
    return {rows, late};
  }

  function renderFigures(f) {
    const rows = Object.entries(f.rows);
    const sum = (key) => rows.reduce((n, [, r]) => n + r[key], 0);
    $("kpi-open").textContent = String(sum("open"));
    $("kpi-overdue").textContent = String(sum("overdue"));
    $("kpi-done").textContent = String(sum("doneToday"));
    document.querySelector("#sop-table tbody").replaceChildren(...rows.map(([code, r]) =>
      el("tr", {dataset: {sop: code}},
        el("td", {text: sopName(code)}),
        el("td", {class: "num col-open", text: r.open}),
        el("td", {class: "num col-overdue", text: r.overdue,
          style: r.overdue ? "color:var(--bad);font-weight:800" : null}),
        el("td", {class: "num col-done", text: r.doneToday}))));
    const now = Date.now();
    document.querySelector("#late-table tbody").replaceChildren(...f.late.map((c) => {
      const s = c.current_step;
      return el("tr", {dataset: {caseId: c.id}},
        el("td", {}, el("a", {href: L.pageUrl("meja") + "?kasus=" + c.id, text: c.tracking_code}),
          el("div", {class: "muted small", text: sopName(c.sop)})),
        el("td", {text: `${s.key}. ${shorten(s.activity, 80)}`}),
        el("td", {text: (L.ROLE_LABELS[s.role] || s.role) + (s.assignee ? ` (${s.assignee})` : "")}),
        el("td", {class: "num", style: "color:var(--bad);font-weight:700",
          text: L.fmt.duration(now - L.fmt.parse(s.due_at).getTime())}));
    }));
    $("late-empty").hidden = f.late.length > 0;
  }

  const loadWorkflow = L.serial(async () => {
    try {
      const [open, done] = await Promise.all([
        L.workflow("cases?status=open"), L.workflow("cases?status=done"),
      ]);
      state.figures = figures(open.cases, done.cases, L.fmt.localDay());
      renderFigures(state.figures);
      $("updated").textContent = "diperbarui " + L.fmt.time(new Date());
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

  // -- start -----------------------------------------------------------------------------------

  function debounce(fn, ms) {
    let t = null;
    return () => { clearTimeout(t); t = setTimeout(fn, ms); };
  }

  async function start() {
    $("today").textContent = L.fmt.longDate();
    try {
      const sops = await L.workflow("sops");
      for (const s of sops.sops) state.sops[s.code] = s;
    } catch (err) { L.showError(err); }
    const [board] = await Promise.all([loadQueue(), loadWorkflow()]);
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
