// Role desk: a role's worklist, one case in detail, and the actions on its current step.
// The workflow API checks roles, decisions and transitions; this page shows its answers.
(function () {
  "use strict";
  const L = window.Loket;
  if (!L.guard("meja")) return;
  const $ = (id) => document.getElementById(id);
  const el = L.el;

  const DESK_ROLES = ["petugas", "operator", "kasi", "sekcam", "camat"];
  // Which documents exist for which SOP (a menu hint; the API refuses the others with a 422).
  const DOC_KINDS = [
    {kind: "tanda_terima", label: "Tanda terima", sops: null},
    {kind: "surat_pengantar", label: "Surat pengantar", sops: ["ektp", "kk"]},
    {kind: "lembar_disposisi", label: "Lembar disposisi", sops: ["pengaduan"]},
    {kind: "rekomendasi", label: "Rekomendasi", sops: ["rekomendasi"]},
  ];
  const DOC_LABELS = Object.fromEntries(DOC_KINDS.map((d) => [d.kind, d.label]));
  const CHANNEL_LABELS = {loket: "Loket", langsung: "Langsung", telepon: "Telepon", surat: "Surat",
    whatsapp: "WhatsApp", email: "Email", media_sosial: "Media sosial", sp4n_lapor: "SP4N-LAPOR!"};
  const ACTION_LABELS = {open: "Kasus dibuka", activate: "Langkah dimulai", complete: "Diselesaikan",
    return: "Dikembalikan ke pemohon", resubmit: "Diajukan ulang", reject: "Ditolak",
    reassign: "Dialihkan", cancel: "Dibatalkan", close: "Kasus ditutup",
    classify: "Diklasifikasi", disposisi: "Disposisi", sent: "Berkas dikirim",
    received: "Berkas diterima kembali",
    sla_reminder: "Pengingat batas waktu", sla_breach: "Melewati batas waktu",
    sla_escalation: "Eskalasi ke Camat", issue_document: "Dokumen diterbitkan",
    reissue_document: "Dokumen diterbitkan ulang"};
  const DECISION_LABELS = {ya: "Ya", tidak: "Tidak"};

  const state = {role: null, cases: [], selectedId: null, detail: null, tab: "complete"};

  // -- roles -----------------------------------------------------------------------------------

  function myDeskRoles() {
    if (L.hasAny("admin")) return DESK_ROLES.slice();
    return DESK_ROLES.filter((r) => L.roles().includes(r));
  }

  function renderRoles() {
    const roles = myDeskRoles();
    const saved = sessionStorage.getItem("loket.deskRole");
    state.role = roles.includes(saved) ? saved : roles[0];
    $("role-select").replaceChildren(...roles.map((r) => el("option", {value: r,
      text: L.ROLE_LABELS[r] || r, selected: r === state.role})));
  }

  // -- worklist --------------------------------------------------------------------------------

  function slaBar(step) {
    if (!step || step.sla_fraction == null) return null;
    const pct = Math.round(step.sla_fraction * 100);
    const cls = step.overdue ? "sla sla-late" : pct >= 75 ? "sla sla-warn" : "sla";
    return el("div", {},
      el("div", {class: cls, role: "progressbar", "aria-valuemin": 0, "aria-valuemax": 100,
        "aria-valuenow": Math.min(pct, 100), "aria-label": "Waktu standar terpakai"},
      el("span", {style: `width:${Math.min(pct, 100)}%`})),
      el("div", {class: "sla-text", text: `${pct}% waktu standar terpakai · batas ` +
        L.fmt.when(step.due_at)}));
  }

  function sortCases(cases) {
    const frac = (c) => (c.current_step && c.current_step.sla_fraction) || 0;
    return cases.slice().sort((a, b) => {
      const lateA = a.current_step && a.current_step.overdue ? 1 : 0;
      const lateB = b.current_step && b.current_step.overdue ? 1 : 0;
      return lateB - lateA || frac(b) - frac(a) || a.id - b.id;
    });
  }

  function renderWorklist() {
    const list = $("worklist");
    $("worklist-count").textContent = String(state.cases.length);
    $("worklist-empty").hidden = state.cases.length > 0;
    list.replaceChildren(...state.cases.map((c) => {
      const step = c.current_step || {};
      return el("li", {class: [step.overdue ? "overdue" : "", c.id === state.selectedId ?
        "selected" : ""].join(" "), dataset: {caseId: c.id}, tabindex: 0,
        onclick: () => selectCase(c.id),
        onkeydown: (ev) => { if (ev.key === "Enter") selectCase(c.id); }},
      el("div", {class: "wl-head"},
        el("span", {class: "wl-code", text: c.tracking_code}),
        el("span", {},
          step.overdue ? el("span", {class: "badge badge-late", text: "Terlambat"}) : null, " ",
          step.state === "waiting_applicant" ?
            el("span", {class: "pill pill-waiting_applicant", text: "Di pemohon"}) : null)),
      el("div", {}, el("strong", {text: c.sop_name}),
        c.ticket_number ? el("span", {class: "muted", text: ` · antrean ${c.ticket_number}`}) : null),
      el("div", {class: "wl-step muted", text: `Langkah ${step.key}: ${shorten(step.activity)}`}),
      slaBar(step));
    }));
  }

  function shorten(text, n = 90) {
    if (!text) return "";
    return text.length > n ? text.slice(0, n - 1) + "…" : text;
  }

  const loadWorklist = L.serial(async () => {
    try {
      const data = await L.workflow(`cases?role=${encodeURIComponent(state.role)}&status=open`);
      state.cases = sortCases(data.cases);
      renderWorklist();
    } catch (err) {
      L.showError(err);
    }
  });

  // -- case detail -----------------------------------------------------------------------------

  async function selectCase(id) {
    state.selectedId = id;
    state.tab = "complete";
    renderWorklist();
    const url = new URL(window.location.href);
    url.searchParams.set("kasus", id);
    history.replaceState(null, "", url);
    await loadDetail();
  }

  async function loadDetail() {
    if (!state.selectedId) return;
    try {
      const [detail, docs] = await Promise.all([
        L.workflow(`cases/${state.selectedId}`),
        L.workflow(`cases/${state.selectedId}/documents`).catch(() => ({documents: []})),
      ]);
      state.detail = detail;
      state.documents = docs.documents;
      renderDetail();
    } catch (err) {
      $("detail").replaceChildren(el("p", {class: "form-error", text: err.message}));
    }
  }

  function fact(label, value) {
    return el("div", {}, el("dt", {text: label}), el("dd", {text: value || "—"}));
  }

  function renderDetail() {
    const c = state.detail;
    const step = c.current_step;
    const box = $("detail");
    box.dataset.caseId = c.id;
    box.replaceChildren(
      el("div", {class: "case-header"},
        el("div", {}, el("h2", {id: "case-title", text: c.sop_name}),
          el("div", {class: "muted", text: c.subject || ""})),
        el("div", {}, el("span", {class: "pill pill-" + c.status, text: c.status_label}))),
      el("dl", {class: "facts"},
        fact("Kode lacak", c.tracking_code),
        fact("Nomor antrean", c.ticket_number),
        fact("Saluran", CHANNEL_LABELS[c.channel] || c.channel),
        fact("Dibuka", L.fmt.dateTime(c.opened_at))),
      step ? currentStepPanel(c, step) : el("p", {class: "panel", text: "Kasus ini sudah " +
        c.status_label.toLowerCase() + "."}),
      documentsPanel(c),
      // Routing panels (meja_rute.js): classification, lembar disposisi, file at the Dinas.
      ...(window.loketDeskPanels || []).map((panel) => panel(c, loadDetail)).filter(Boolean),
      el("div", {class: "panel"}, el("h3", {text: "Langkah SOP"}), timeline(c)),
      el("div", {class: "panel"}, el("h3", {text: "Riwayat (log audit)"}), auditLog(c)));
  }

  function currentStepPanel(c, step) {
    const waiting = step.state === "waiting_applicant";
    // Exactly the actions the SOP allows on this step now (the workflow lists them).
    const TAB_LABELS = {complete: "Selesaikan", return: "Kembalikan ke pemohon",
      resubmit: "Ajukan ulang", reject: "Tolak", reassign: "Alihkan"};
    const allowed = step.actions || (waiting ? ["resubmit"] : ["complete", "reassign"]);
    const tabs = allowed.filter((k) => TAB_LABELS[k]).map((k) => [k, TAB_LABELS[k]]);
    if (!tabs.some(([k]) => k === state.tab)) state.tab = tabs[0][0];
    const panel = el("div", {class: "panel", id: "current-step"},
      el("h3", {}, `Langkah ${step.key} — `, el("span", {class: "pill pill-" + step.state,
        text: step.state_label}), " ",
      step.overdue ? el("span", {class: "badge badge-late", text: "Terlambat"}) : null),
      el("p", {id: "step-activity", text: step.activity || ""}),
      el("p", {class: "muted small", text: `Peran: ${L.ROLE_LABELS[step.role] || step.role}` +
        (step.assignee ? ` · Ditangani: ${step.assignee}` : "") +
        ` · Waktu standar: ${L.fmt.standard(step.time_standard)}` +
        (step.output_expected && step.output_expected.length ?
          ` · Keluaran: ${step.output_expected.join(", ")}` : "")}),
      slaBar(step),
      el("div", {class: "action-tabs", role: "tablist"}, ...tabs.map(([key, label]) =>
        el("button", {type: "button", role: "tab", class: key === state.tab ? "active" : null,
          "aria-selected": key === state.tab ? "true" : "false", dataset: {tab: key},
          text: label, onclick: () => { state.tab = key; renderDetail(); }}))),
      actionForm(c, step, state.tab));
    return panel;
  }

  function actionForm(c, step, tab) {
    const form = el("form", {id: "form-" + tab, class: "action-form", novalidate: true});
    const submit = (label, cls = "btn-primary") => el("button", {type: "submit", class: cls,
      text: label});
    if (tab === "complete") {
      form.append(
        el("label", {for: "f-output", text: "Hasil / catatan langkah"}),
        el("textarea", {id: "f-output", name: "output"}),
        el("p", {class: "field-error", dataset: {errorFor: "output"}}));
      if (step.equipment && step.equipment.length) {
        // The SOP's Kelengkapan column: what the step is done with, not a checklist.
        form.append(el("p", {class: "muted small", id: "step-equipment",
          text: "Kelengkapan langkah: " + step.equipment.join(", ")}));
      }
      if (step.decisions && step.decisions.length) {
        form.append(el("label", {for: "f-decision", text: "Keputusan"}),
          el("select", {id: "f-decision", name: "decision"},
            el("option", {value: "", text: "— pilih keputusan —"}),
            ...(step.decision_options || step.decisions.map((d) => ({value: d, label: d})))
              .map((d) => el("option", {value: d.value,
                text: DECISION_LABELS[d.value] || d.label || L.fmt.label(d.value)}))),
          el("p", {class: "field-error", dataset: {errorFor: "decision"}}));
      }
      form.append(el("p", {class: "form-error", role: "alert"}), submit("Selesaikan langkah",
        "btn-success"));
    } else if (tab === "return" || tab === "reject") {
      form.append(el("label", {for: "f-reason", text: tab === "return" ?
        "Alasan dikembalikan (mis. berkas belum lengkap)" : "Alasan penolakan"}),
      el("textarea", {id: "f-reason", name: "reason"}),
      el("p", {class: "field-error", dataset: {errorFor: "reason"}}),
      el("p", {class: "form-error", role: "alert"}),
      submit(tab === "return" ? "Kembalikan ke pemohon" : "Tolak permohonan",
        tab === "return" ? "btn-warning" : "btn-danger"));
    } else if (tab === "resubmit") {
      form.append(el("p", {text: `Berkas dikembalikan ke pemohon${step.reason ?
        ": " + step.reason : ""}. Jika pemohon sudah melengkapinya, ajukan ulang.`}),
      el("p", {class: "form-error", role: "alert"}), submit("Ajukan ulang"));
    } else if (tab === "reassign") {
      // A person from the staff list: the step's role (and section), never a typed name.
      const picker = el("select", {id: "f-staff", name: "staff_id"},
        el("option", {value: "", text: "— memuat daftar petugas —"}));
      form.append(el("label", {for: "f-staff", text: "Alihkan kepada"}), picker,
        el("p", {class: "field-error", dataset: {errorFor: "staff_id"}}),
        el("p", {class: "form-error", role: "alert"}), submit("Alihkan"));
      L.workflow(`cases/${c.id}/steps/current/candidates`).then((data) => {
        picker.replaceChildren(el("option", {value: "", text: "— pilih petugas —"}),
          ...data.staff.map((p) => el("option", {value: p.id,
            text: p.full_name + ` (${p.username})` + (p.section ? " · " + p.section : "")})));
      }).catch((err) => L.showError(err, form));
    }
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      act(c, tab, form, ev.submitter || form.querySelector("button[type=submit]"));
    });
    return form;
  }

  function formBody(tab, form) {
    const value = (name) => {
      const field = form.elements.namedItem(name);
      return field ? field.value.trim() : "";
    };
    if (tab === "complete") {
      const body = {output: value("output")};
      if (form.elements.namedItem("decision") && value("decision")) body.decision = value("decision");
      return body;
    }
    if (tab === "return" || tab === "reject") return {reason: value("reason")};
    if (tab === "reassign") return value("staff_id") ? {staff_id: Number(value("staff_id"))} : {};
    return {};
  }

  async function act(c, tab, form, button) {
    await L.busy(button, async () => {
      const updated = await L.workflow(`cases/${c.id}/steps/current/${tab}`,
        {method: "POST", body: formBody(tab, form)});
      const messages = {complete: "Langkah diselesaikan.", return: "Berkas dikembalikan ke pemohon.",
        resubmit: "Berkas diajukan ulang.", reject: "Permohonan ditolak.",
        reassign: "Langkah dialihkan."};
      L.flash(`${messages[tab]} (${updated.tracking_code})`, "ok");
      state.tab = "complete";
      state.detail = updated;
      renderDetail();
      await loadWorklist();
    }, form);
  }

  function timeline(c) {
    return el("ol", {class: "timeline", id: "steps"}, ...(c.steps || []).map((s) =>
      el("li", {class: "st-" + s.state, dataset: {stepKey: s.key}},
        el("div", {}, el("span", {class: "t-act", text: `${s.key}. ${shorten(s.activity, 120)}`})),
        el("div", {class: "muted small", text: [L.ROLE_LABELS[s.role] || s.role, s.state_label,
          s.finished_at ? "selesai " + L.fmt.time(s.finished_at) : null,
          s.decision ? "keputusan: " + (DECISION_LABELS[s.decision] || s.decision) : null,
          s.output ? "hasil: " + shorten(s.output, 60) : null].filter(Boolean).join(" · ")}))));
  }

  function auditLog(c) {
    return el("div", {class: "log-wrap"}, el("table", {id: "audit-log"},
      el("thead", {}, el("tr", {}, el("th", {text: "Waktu"}), el("th", {text: "Oleh"}),
        el("th", {text: "Tindakan"}), el("th", {text: "Catatan"}))),
      el("tbody", {}, ...(c.log || []).slice().reverse().map((e) => el("tr", {},
        el("td", {text: L.fmt.time(e.at)}),
        el("td", {text: e.actor + (e.role ? ` (${e.role})` : "")}),
        el("td", {text: (ACTION_LABELS[e.action] || e.action) + (e.step ? ` · langkah ${e.step}` : "")}),
        el("td", {text: e.note || ""}))))));
  }

  // -- documents -------------------------------------------------------------------------------

  function documentsPanel(c) {
    const kinds = DOC_KINDS.filter((d) => !d.sops || d.sops.includes(c.sop));
    const panel = el("div", {class: "panel", id: "documents"},
      el("h3", {text: "Dokumen"}),
      el("div", {class: "doc-buttons"}, ...kinds.map((d) => el("button", {type: "button",
        class: "btn-secondary btn-small", dataset: {kind: d.kind}, text: "Terbitkan " +
        d.label.toLowerCase(), onclick: (ev) => issueDocument(c, d.kind, ev.currentTarget,
        panel)}))),
      el("p", {class: "form-error", role: "alert"}),
      state.documents && state.documents.length ? el("ul", {id: "document-list"},
        ...state.documents.map((d) => el("li", {}, `${DOC_LABELS[d.kind] || d.kind} ${d.number} · `,
          d.version > 1 ? `terbit ulang versi ${d.version} (${d.reason}) · ` : "",
          L.fmt.dateTime(d.created_at), " · ",
          el("a", {href: "#", text: "Buka PDF", onclick: (ev) => {
            ev.preventDefault(); openPdf(d);
          }})))) : el("p", {class: "muted small", text: "Belum ada dokumen."}));
    if (state.documents && state.documents.length) panel.append(reissueForm(c));
    return panel;
  }

  // A document printed again keeps its number; the reason is required and recorded (#17).
  function reissueForm(c) {
    const issued = [...new Set(state.documents.map((d) => d.kind))];
    const form = el("form", {id: "reissue-form", novalidate: true},
      el("label", {for: "reissue-kind", text: "Terbitkan ulang (nomor tetap)"}),
      el("select", {id: "reissue-kind", name: "kind"}, ...issued.map((k) =>
        el("option", {value: k, text: DOC_LABELS[k] || k}))),
      el("label", {for: "reissue-reason", text: "Alasan penerbitan ulang"}),
      el("input", {id: "reissue-reason", name: "reason", autocomplete: "off"}),
      el("p", {class: "field-error", dataset: {errorFor: "reason"}}),
      el("p", {class: "form-error", role: "alert"}),
      el("button", {type: "submit", class: "btn-secondary btn-small", text: "Terbitkan ulang"}));
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const kind = form.elements.namedItem("kind").value;
      L.busy(ev.submitter || form.querySelector("button"), async () => {
        const doc = await L.workflow(`cases/${c.id}/documents/${kind}/reissue`, {method: "POST",
          body: {reason: form.elements.namedItem("reason").value.trim()}});
        L.flash(`${DOC_LABELS[kind]} nomor ${doc.number} diterbitkan ulang (versi ${doc.version}).`,
          "ok");
        await loadDetail();
      }, form);
    });
    return form;
  }

  async function issueDocument(c, kind, button, panel) {
    await L.busy(button, async () => {
      const doc = await L.workflow(`cases/${c.id}/documents/${kind}`, {method: "POST", body: {}});
      L.flash(`${DOC_LABELS[kind]} nomor ${doc.number} diterbitkan.`, "ok");
      await loadDetail();
    }, panel);
  }

  async function openPdf(doc) {
    // The PDF needs the staff token, so fetch it and open the bytes, not the bare URL.
    const win = window.open("", "_blank");
    try {
      const res = await L.workflow(`documents/${doc.id}.pdf`, {raw: true});
      const url = URL.createObjectURL(await res.blob());
      if (win) win.location.href = url; else window.location.href = url;
    } catch (err) {
      if (win) win.close();
      L.showError(err);
    }
  }

  // -- new case --------------------------------------------------------------------------------

  async function openNewCase() {
    const select = $("nc-sop");
    if (!select.options.length) {
      try {
        const data = await L.workflow("sops");
        select.replaceChildren(el("option", {value: "", text: "— pilih layanan —"}),
          ...data.sops.map((s) => el("option", {value: s.code, text: s.name})));
      } catch (err) { L.showError(err); }
    }
    L.clearErrors($("new-case-form"));
    $("new-case-dialog").showModal();
  }

  async function submitNewCase(ev) {
    ev.preventDefault();
    const form = $("new-case-form");
    const v = (name) => form.elements.namedItem(name).value.trim();
    const body = {sop: v("sop"), channel: v("channel"), subject: v("subject") || null};
    const applicant = {};
    if (v("applicant.name")) applicant.name = v("applicant.name");
    if (v("applicant.nik")) applicant.nik = v("applicant.nik");
    if (v("applicant.contact")) applicant.contact = v("applicant.contact");
    if (Object.keys(applicant).length) body.applicant = applicant;
    await L.busy($("nc-submit"), async () => {
      const created = await L.workflow("cases", {method: "POST", body});
      form.reset();
      $("new-case-dialog").close();
      L.flash(`Kasus ${created.tracking_code} dibuat (${created.sop_name}).`, "ok");
      await loadWorklist();
      await selectCase(created.id);
    }, form);
  }

  // -- live updates ----------------------------------------------------------------------------

  let timer = null;
  function onEvent(type, data) {
    if (!(type === "reset" || type.startsWith("case.") || type.startsWith("step.") ||
          type.startsWith("sla."))) return;
    clearTimeout(timer);
    timer = setTimeout(async () => {
      await loadWorklist();
      const id = data && data.case && data.case.id;
      const d = state.detail;
      // Re-read the open case only if somebody else moved it (never wipe a half-filled form).
      if (d && id === d.id && data.step && d.current_step &&
          (data.step.id !== d.current_step.id || data.step.state !== d.current_step.state)) {
        await loadDetail();
      }
    }, 200);
  }

  // -- start -----------------------------------------------------------------------------------

  renderRoles();
  $("role-select").addEventListener("change", (ev) => {
    state.role = ev.target.value;
    sessionStorage.setItem("loket.deskRole", state.role);
    loadWorklist();
  });
  $("btn-new-case").addEventListener("click", openNewCase);
  $("nc-cancel").addEventListener("click", () => $("new-case-dialog").close());
  $("new-case-form").addEventListener("submit", submitNewCase);
  window.loketDesk = state;
  loadWorklist().then(() => {
    const wanted = Number(new URLSearchParams(window.location.search).get("kasus"));
    if (wanted) selectCase(wanted);
  });
  L.stream("workflow", "events", {
    after: "latest",  // the worklist is loaded fresh; only changes from now on matter
    onEvent,
    onState: (s) => {
      $("live-state").textContent = s === "live" ? "Langsung" : "Menyambung ulang…";
      $("live-state").className = "live-state live-" + s;
    },
  });
})();
