// Counter console (petugas): open the counter, call the next visitor, serve, transfer.
// Every rule (who is next, what is legal) is the queue API's; this page shows and asks.
(function () {
  "use strict";
  const L = window.Loket;
  if (!L.guard("loket")) return;
  const $ = (id) => document.getElementById(id);

  const STATUS_LABELS = {waiting: "Menunggu", called: "Dipanggil", serving: "Sedang dilayani",
    done: "Selesai", no_show: "Tidak hadir", on_hold: "Ditahan", transferred: "Dialihkan",
    cancelled: "Dibatalkan", closed: "Ditutup"};
  const COUNTER_LABELS = {open: "Buka", paused: "Jeda", closed: "Tutup"};
  const FAULT_LABELS = {printer_offline: "printer tidak tersambung", paper_out: "kertas habis",
    printer_error: "printer bermasalah", network: "jaringan terputus",
    touchscreen: "layar sentuh bermasalah", power: "listrik bermasalah", other: "gangguan lain"};
  // Which buttons make sense in which state (a hint only: the API has the last word).
  const ACTIONS_FOR = {called: ["recall", "start", "no-show", "hold", "cancel"],
    serving: ["finish", "hold"]};

  const state = {counters: [], counterId: null, services: {}, current: null, caseFor: null};

  function counter() { return state.counters.find((c) => c.id === state.counterId) || null; }
  function serviceName(code) { return (state.services[code] || {}).name || code; }

  function priorityBadge(priority) {
    if (!priority) return null;
    return L.el("span", {class: "badge badge-priority", text: L.PRIORITY_LABELS[priority] ||
      L.fmt.label(priority)});
  }

  // -- rendering -------------------------------------------------------------------------------

  function renderCounter() {
    const c = counter();
    const select = $("counter-select");
    select.replaceChildren(...state.counters.map((x) => L.el("option", {value: x.id,
      text: x.name, selected: x.id === state.counterId})));
    const status = c ? c.status : null;
    const pill = $("counter-status");
    pill.textContent = COUNTER_LABELS[status] || "—";
    pill.className = "pill pill-" + (status || "none");
    $("btn-open").disabled = !c || status === "open";
    $("btn-pause").disabled = !c || status !== "open";
    $("btn-close").disabled = !c || status === "closed";
    $("counter-services").textContent = c ? "Layanan: " + c.services.map(serviceName).join(", ") +
      (c.officer ? ` · Petugas: ${c.officer.display_name || c.officer.username}` : "") : "";
    $("btn-call-next").disabled = !c || status !== "open" || !!c.current;
  }

  function renderCurrent() {
    const t = state.current;
    $("current").hidden = !t;
    $("idle").hidden = !!t;
    if (!t) { $("case-box").hidden = true; return; }
    $("current").dataset.ticketId = t.id;
    $("current-number").textContent = t.number;
    $("current-service").textContent = t.service_name || serviceName(t.service);
    const status = $("current-status");
    status.textContent = STATUS_LABELS[t.status] || t.status;
    status.className = "pill pill-" + t.status;
    const prio = $("current-priority");
    prio.hidden = !t.priority;
    prio.textContent = t.priority ? (L.PRIORITY_LABELS[t.priority] || t.priority) : "";
    // The officer serves this person, so the name helps; the NIK is never shown here.
    $("current-visitor").textContent = t.visitor && t.visitor.name ? "Atas nama " + t.visitor.name : "";
    const times = [`Dipanggil ${L.fmt.time(t.last_called_at || t.called_at)}`];
    if (t.recalls) times.push(`dipanggil ulang ${t.recalls}×`);
    if (t.serving_at) times.push(`mulai dilayani ${L.fmt.time(t.serving_at)}`);
    $("current-times").textContent = times.join(" · ");
    const allowed = ACTIONS_FOR[t.status] || [];
    const changed = state.renderedTicket !== `${t.id}:${t.status}`;
    state.renderedTicket = `${t.id}:${t.status}`;
    document.querySelectorAll("#ticket-actions button").forEach((b) => {
      b.hidden = !allowed.includes(b.dataset.action);
      // A live refresh must not disarm a cancel the officer is confirming.
      if (b.dataset.action === "cancel" && changed) resetCancel(b);
    });
    const select = $("transfer-service");
    const keep = select.value;
    select.replaceChildren(L.el("option", {value: "", text: "— pilih layanan —"}),
      ...Object.values(state.services).filter((s) => s.code !== t.service)
        .map((s) => L.el("option", {value: s.code, text: `${s.name} (${s.prefix})`})));
    select.value = keep && keep !== t.service ? keep : "";
    if (t.status === "serving") watchCase(t); else $("case-box").hidden = true;
  }

  function ticketItem(t, buttons) {
    return L.el("li", {dataset: {ticketId: t.id}},
      L.el("span", {class: "ticket-number", text: t.number}),
      L.el("span", {class: "ticket-info"},
        L.el("span", {text: serviceName(t.service)}), priorityBadge(t.priority),
        t.returning ? L.el("span", {class: "badge", text: "Kembali"}) : null,
        L.el("small", {class: "muted", text: "Ambil " + L.fmt.time(t.original_issued_at ||
          t.issued_at)})),
      L.el("span", {class: "ticket-buttons"}, ...buttons));
  }

  function renderLists(waiting, held) {
    const c = counter();
    const canCall = c && c.status === "open" && !c.current;
    $("waiting-count").textContent = String(waiting.length);
    $("waiting-list").replaceChildren(...waiting.map((t) => ticketItem(t, [
      L.el("button", {type: "button", class: "btn-small", disabled: !canCall,
        title: "Panggil antrean ini", text: "Panggil",
        onclick: (ev) => callSpecific(ev.currentTarget, t)})])));
    $("waiting-empty").hidden = waiting.length > 0;
    $("held-list").replaceChildren(...held.map((t) => ticketItem(t, [
      L.el("button", {type: "button", class: "btn-small", text: "Lanjutkan",
        title: "Kembalikan ke antrean menunggu",
        onclick: (ev) => L.busy(ev.currentTarget, async () => {
          await L.queue(`tickets/${t.id}/resume`, {method: "POST"});
          await refresh();
        })})])));
    $("held-empty").hidden = held.length > 0;
  }

  // -- loading ---------------------------------------------------------------------------------

  const refresh = L.serial(async () => {
    try {
      const [counters, waiting, held] = await Promise.all([
        L.queue("counters"), L.queue("tickets?status=waiting"), L.queue("tickets?status=on_hold"),
      ]);
      state.counters = counters.counters;
      if (!counter() && state.counters.length) state.counterId = state.counters[0].id;
      const c = counter();
      state.current = c && c.current ? await L.queue(`tickets/id/${c.current.id}`) : null;
      const mine = (t) => c && c.services.includes(t.service);
      renderCounter();
      renderCurrent();
      renderLists(waiting.tickets.filter(mine), held.tickets.filter(mine));
    } catch (err) {
      L.showError(err);
    }
  });

  let timer = null;
  function scheduleRefresh() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 120);
  }

  // -- actions ---------------------------------------------------------------------------------

  function setCounter(change, button) {
    const scope = $("counter-error").parentElement;
    return L.busy(button, async () => {
      await L.queue(`counters/${state.counterId}/${change}`, {method: "POST"});
      await refresh();
    }, scope);
  }

  async function callNext(button) {
    const message = $("call-message");
    message.textContent = "";
    message.className = "call-message";
    await L.busy(button, async () => {
      const ticket = await L.queue(`counters/${state.counterId}/call-next`, {method: "POST"});
      if (ticket === null) {
        message.textContent = "Tidak ada antrean";
        message.classList.add("call-empty");
      } else {
        message.textContent = `Memanggil ${ticket.number}`;
        message.classList.add("call-ok");
      }
      await refresh();
    }, $("counter-error").parentElement);
  }

  function callSpecific(button, t) {
    return L.busy(button, async () => {
      const ticket = await L.queue(`counters/${state.counterId}/call`,
        {method: "POST", body: {ticket_id: t.id}});
      $("call-message").textContent = `Memanggil ${ticket.number}`;
      $("call-message").className = "call-message call-ok";
      await refresh();
    }, $("counter-error").parentElement);
  }

  function resetCancel(button) {
    clearTimeout(button._timer);
    button.dataset.armed = "";
    button.textContent = "Batalkan";
  }

  async function ticketAction(button) {
    const t = state.current;
    if (!t) return;
    const action = button.dataset.action;
    if (action === "cancel" && !button.dataset.armed) {
      // A cancel cannot be undone: ask once more, on the same button.
      button.dataset.armed = "1";
      button.textContent = "Yakin batalkan?";
      button._timer = setTimeout(() => resetCancel(button), 5000);
      return;
    }
    await L.busy(button, async () => {
      await L.queue(`tickets/${t.id}/${action}`, {method: "POST"});
      if (action === "start") await recordKioskComplaint(t);
      if (action !== "recall") $("call-message").textContent = "";
      await refresh();
    }, $("current"));
  }

  // A complaint typed at the kiosk reaches its case: the ticket's answers go to the workflow
  // with the ticket, which opens the ticket's case or joins the one the worker opened.
  async function recordKioskComplaint(t) {
    const d = t.details || {};
    if (t.service !== "pengaduan" || !d.description) return;
    const body = {channel: "loket", text: d.description, ticket: {id: t.id, number: t.number}};
    if (d.category) body.category = d.category;
    if (t.visitor && t.visitor.name) body.name = t.visitor.name;
    if (t.visitor && t.visitor.phone) body.contact = {phone: t.visitor.phone};
    try {
      await L.workflow("complaints/intake", {method: "POST", body});
    } catch (err) {
      if (err.status !== 409) L.showError(err, $("current"));
    }
  }

  async function transfer(ev) {
    ev.preventDefault();
    const t = state.current;
    const form = $("transfer-form");
    if (!t) return;
    await L.busy($("btn-transfer"), async () => {
      const service = $("transfer-service").value;
      if (!service) {
        throw new L.ApiError(422, {error: {message: "Pilih layanan tujuan dulu.",
          field: "service"}});
      }
      await L.queue(`tickets/${t.id}/transfer`, {method: "POST",
        body: {service, return_after: $("transfer-return").checked}});
      $("transfer-return").checked = false;
      L.flash(`Antrean ${t.number} dialihkan ke ${serviceName(service)}.`, "ok");
      await refresh();
    }, form);
  }

  // The case opened from the ticket being served: its id arrives with the workflow's events
  // (case.opened carries the ticket's id); one read covers a case opened before we listened.
  // A ticket transferred to another SOP service has one case per service: match both.
  function watchCase(ticket) {
    $("case-box").hidden = false;
    if (state.caseFor && state.caseFor.ticket === ticket.id &&
        state.caseFor.service === ticket.service) { renderCase(); return; }
    state.caseFor = {ticket: ticket.id, service: ticket.service, caseId: null, detail: null};
    renderCase();
    L.workflow("cases?status=open").then((data) => {
      const found = data.cases.find((c) => c.ticket_id === ticket.id &&
                                        c.sop === ticket.service);
      if (found) showCase(found.id);
    }).catch(() => { /* the case's event will bring it */ });
  }

  const loadCase = L.serial(async () => {
    const f = state.caseFor;
    if (!f || !f.caseId) return;
    try {
      const detail = await L.workflow(`cases/${f.caseId}`);
      if (state.caseFor === f) f.detail = detail;
    } catch (err) { L.showError(err); }
    renderCase();
  });

  function showCase(caseId) {
    if (!state.caseFor) return;
    state.caseFor.caseId = caseId;
    loadCase();
  }

  function onCaseEvent(type, data) {
    const c = data && data.case;
    const f = state.caseFor;
    if (!c || !f) return;
    const sameTicket = c.ticket_id === f.ticket && (!c.sop || c.sop === f.service);
    if (sameTicket || c.id === f.caseId) showCase(c.id);
  }

  function renderCase() {
    const f = state.caseFor;
    const d = f && f.detail;
    const link = $("case-link");
    $("case-wait").hidden = !!d;
    $("case-wait").textContent = "Menunggu kasus dibuka oleh sistem…";
    link.hidden = !d;
    if (!d) { $("case-panel").replaceChildren(); return; }
    link.href = L.pageUrl("meja") + "?kasus=" + d.id;
    link.textContent = `Buka kasus ${d.tracking_code}`;
    const step = d.current_step;
    const used = step && step.sla_fraction != null ? Math.round(step.sla_fraction * 100) : null;
    const ACTIONS = {complete: "Selesaikan", return: "Kembalikan", resubmit: "Ajukan ulang",
      reject: "Tolak", reassign: "Alihkan", cancel: "Batalkan"};
    $("case-panel").dataset.caseId = d.id;
    $("case-panel").replaceChildren(
      L.el("div", {}, L.el("strong", {text: d.sop_name}), " · ",
        L.el("span", {class: "pill pill-" + d.status, text: d.status_label})),
      step ? L.el("div", {id: "case-step", text: `Langkah ${step.key}: ${step.activity || ""}`})
        : null,
      step ? L.el("div", {class: "muted small", id: "case-time", text:
        `${L.ROLE_LABELS[step.role] || step.role} · ${step.state_label}` +
        (used != null ? ` · ${used}% waktu standar terpakai` : "") +
        (step.due_at ? ` · batas ${L.fmt.when(step.due_at)}` : "")}) : null,
      step && step.actions && step.actions.length ? L.el("div", {class: "muted small",
        id: "case-actions", text: "Tindakan: " + step.actions.map((a) => ACTIONS[a] || a)
          .join(", ")}) : null);
  }

  // -- kiosk faults ----------------------------------------------------------------------------

  function showFault(event) {
    const device = (event.device && event.device.label) || "Kios";
    const what = FAULT_LABELS[event.fault] || event.fault || "gangguan";
    $("fault-text").textContent = `Gangguan ${device}: ${what}` +
      (event.detail ? ` (${event.detail})` : "") + ` — ${L.fmt.time(event.at)}`;
    $("fault-banner").hidden = false;
  }

  // -- start -----------------------------------------------------------------------------------

  async function start() {
    try {
      const [me, services, board, faults] = await Promise.all([
        L.queue("me"), L.queue("services"), L.queue("board"),
        L.queue("kiosk/faults").catch(() => ({faults: []})),
      ]);
      for (const s of services.services) state.services[s.code] = s;
      const saved = Number(sessionStorage.getItem("loket.counter"));
      state.counterId = saved || (me.staff && me.staff.counter_id) || null;
      await refresh();
      const recent = (faults.faults || [])[0];
      if (recent && Date.now() - L.fmt.parse(recent.at).getTime() < 15 * 60 * 1000) showFault(recent);
      L.stream("queue", "events", {
        after: board.last_event_id,
        onState: (s) => {
          $("live-state").textContent = s === "live" ? "Langsung" : "Menyambung ulang…";
          $("live-state").className = "live-state live-" + s;
          if (s === "live") scheduleRefresh();
        },
        onEvent: (type, data) => {
          if (type === "kiosk.fault" && data) showFault(data);
          else if (type === "reset" || type.startsWith("ticket.") || type.startsWith("counter.")) {
            scheduleRefresh();  // reset: too far behind to replay, so read it all again
          }
        },
      });
      // The live case panel: the workflow's events carry the case's id and its ticket's.
      L.stream("workflow", "events", {
        after: "latest",
        onEvent: (type, data) => {
          if (type.startsWith("case.") || type.startsWith("step.")) onCaseEvent(type, data);
        },
      });
    } catch (err) {
      L.showError(err);
    }
  }

  $("counter-select").addEventListener("change", (ev) => {
    state.counterId = Number(ev.target.value);
    sessionStorage.setItem("loket.counter", String(state.counterId));
    $("call-message").textContent = "";
    refresh();
  });
  $("btn-open").addEventListener("click", (ev) => setCounter("open", ev.currentTarget));
  $("btn-pause").addEventListener("click", (ev) => setCounter("pause", ev.currentTarget));
  $("btn-close").addEventListener("click", (ev) => setCounter("close", ev.currentTarget));
  $("btn-call-next").addEventListener("click", (ev) => callNext(ev.currentTarget));
  document.querySelectorAll("#ticket-actions button").forEach((b) => {
    b.addEventListener("click", () => ticketAction(b));
  });
  $("transfer-form").addEventListener("submit", transfer);
  $("fault-dismiss").addEventListener("click", () => { $("fault-banner").hidden = true; });
  window.loketConsole = state;
  start();
})();
