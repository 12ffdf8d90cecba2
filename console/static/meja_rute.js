// Role desk, routing panels: a complaint's classification, the Camat/Sekcam's lembar disposisi,
// and a file sent to an outside office (the KK at the Dinas). meja.js shows what these return.
(function () {
  "use strict";
  const panels = (window.loketDeskPanels = window.loketDeskPanels || []);
  const CLASSIFY_AT = ["1", "1b", "2", "2b"];
  const DISPOSISI_STEP = "2c";

  function field(L, id, label, control, name) {
    return L.el("div", {}, L.el("label", {for: id, text: label}), control,
      L.el("p", {class: "field-error", dataset: {errorFor: name}}));
  }

  function options(L, map, placeholder) {
    const first = placeholder ? [L.el("option", {value: "", text: placeholder})] : [];
    return [...first, ...Object.entries(map).map(([value, text]) =>
      L.el("option", {value, text}))];
  }

  function today() {
    const d = new Date();
    const pad = (n) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  }

  function duration(seconds) {
    const h = Math.floor(seconds / 3600);
    if (h >= 24) return `${Math.floor(h / 24)} hari ${h % 24} jam`;
    return `${h} jam ${Math.floor((seconds % 3600) / 60)} menit`;
  }

  // -- classification (petugas, steps 1–2b of a complaint) ---------------------------------------

  panels.push(function classificationPanel(c, reload) {
    const L = window.Loket;
    const step = c.current_step;
    if (c.sop !== "pengaduan" || !c.routing_options) return null;
    const o = c.routing_options;
    const known = c.classification;
    const panel = L.el("div", {class: "panel", id: "classification"},
      L.el("h3", {text: "Klasifikasi pengaduan"}),
      known ? L.el("p", {id: "classification-now", text: `${known.kind_label} · topik ` +
        `${known.topic} · diteruskan kepada ${known.route_label}`})
        : L.el("p", {class: "muted small", text: "Belum diklasifikasi."}));
    if (!step || !CLASSIFY_AT.includes(step.key)) return panel;
    const form = L.el("form", {id: "classify-form", class: "action-form", novalidate: true},
      L.el("div", {class: "form-grid"},
        field(L, "cl-kind", "Jenis", L.el("select", {id: "cl-kind", name: "kind"},
          ...options(L, o.kinds, "— pilih jenis —")), "kind"),
        field(L, "cl-topic", "Topik", L.el("select", {id: "cl-topic", name: "topic"},
          ...options(L, Object.fromEntries(Object.keys(o.topics).map((t) => [t, t])),
            "— pilih topik —")), "topic"),
        field(L, "cl-route", "Diteruskan kepada", L.el("select", {id: "cl-route", name: "route"},
          ...options(L, o.targets, "— sesuai topik —")), "route")),
      L.el("p", {class: "form-error", role: "alert"}),
      L.el("button", {type: "submit", class: "btn-primary", text: "Simpan klasifikasi"}));
    if (known || o.suggested_topic) {
      form.elements.namedItem("topic").value = known ? known.topic : o.suggested_topic;
    }
    if (known) form.elements.namedItem("kind").value = known.kind;
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const v = (n) => form.elements.namedItem(n).value;
      const body = {kind: v("kind"), topic: v("topic")};
      if (v("route")) body.route = v("route");
      L.busy(ev.submitter, async () => {
        await L.workflow(`cases/${c.id}/classification`, {method: "PUT", body});
        L.flash("Klasifikasi tersimpan.", "ok");
        await reload();
      }, form);
    });
    panel.append(form);
    return panel;
  });

  // -- lembar disposisi (Camat/Sekcam, at the disposisi step) ------------------------------------

  function dispositionList(L, c) {
    if (!c.dispositions || !c.dispositions.length) return null;
    return L.el("ul", {id: "disposition-list"}, ...c.dispositions.map((d) => L.el("li", {},
      L.el("strong", {text: `No. agenda ${d.agenda_number}`}),
      ` · ${d.urgency_label} · kepada ${d.forward_to_label}: ${d.instruction}` +
      (d.notes ? ` (catatan: ${d.notes})` : "") + ` · paraf ${d.written_by}, ${d.date}`)));
  }

  panels.push(function dispositionPanel(c, reload) {
    const L = window.Loket;
    const step = c.current_step;
    if (c.sop !== "pengaduan" || !c.routing_options) return null;
    const canWrite = L.hasAny("camat", "sekcam") && step && step.key === DISPOSISI_STEP;
    if (!canWrite && !(c.dispositions && c.dispositions.length)) return null;
    const panel = L.el("div", {class: "panel", id: "disposisi"},
      L.el("h3", {text: "Lembar disposisi"}), dispositionList(L, c));
    if (!canWrite) return panel;
    const o = c.routing_options;
    const form = L.el("form", {id: "disposisi-form", class: "action-form", novalidate: true},
      L.el("div", {class: "form-grid"},
        field(L, "dp-to", "Diteruskan kepada", L.el("select", {id: "dp-to", name: "forward_to"},
          ...options(L, o.targets, "— pilih tujuan —")), "forward_to"),
        field(L, "dp-urgency", "Sifat", L.el("select", {id: "dp-urgency", name: "urgency"},
          ...options(L, o.urgencies)), "urgency"),
        field(L, "dp-date", "Tanggal", L.el("input", {id: "dp-date", name: "date", type: "date",
          value: today()}), "date"),
        field(L, "dp-sender", "Asal pengaduan", L.el("input", {id: "dp-sender", name: "sender",
          maxlength: 200, value: `Pelapor melalui ${c.channel}`}), "sender"),
        L.el("div", {class: "full"}, field(L, "dp-subject", "Perihal", L.el("input", {
          id: "dp-subject", name: "subject", maxlength: 300,
          value: (c.subject || "").slice(0, 300)}), "subject")),
        L.el("div", {class: "full"}, field(L, "dp-instruction", "Isi disposisi (instruksi)",
          L.el("textarea", {id: "dp-instruction", name: "instruction", maxlength: 2000}),
          "instruction")),
        L.el("div", {class: "full"}, field(L, "dp-notes", "Catatan", L.el("textarea", {
          id: "dp-notes", name: "notes", maxlength: 2000}), "notes"))),
      L.el("p", {class: "form-error", role: "alert"}),
      L.el("button", {type: "submit", class: "btn-primary", text: "Kirim disposisi"}));
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const v = (n) => form.elements.namedItem(n).value.trim();
      const body = {forward_to: v("forward_to"), urgency: v("urgency"), date: v("date"),
        sender: v("sender") || null, subject: v("subject") || null,
        instruction: v("instruction"), notes: v("notes") || null};
      L.busy(ev.submitter, async () => {
        const updated = await L.workflow(`cases/${c.id}/disposisi`, {method: "POST", body});
        const last = updated.dispositions[updated.dispositions.length - 1];
        L.flash(`Disposisi ${last.agenda_number} diteruskan kepada ${last.forward_to_label}.`,
          "ok");
        await reload();
      }, form);
    });
    panel.append(form);
    return panel;
  });

  // -- a file at an outside office (dikirim / diterima kembali) ---------------------------------

  panels.push(function handoffPanel(c, reload) {
    const L = window.Loket;
    const step = c.current_step;
    const current = step && c.handoff_step === step.key;
    const rows = c.handoffs || [];
    if (!current && !rows.length) return null;
    const open = rows.find((h) => step && h.step === step.key && h.at_outside);
    const panel = L.el("div", {class: "panel", id: "handoff"},
      L.el("h3", {text: "Berkas di luar kantor (Dinas)"}),
      ...rows.map((h) => L.el("p", {class: h.overdue ? "handoff late" : "handoff",
        text: `Langkah ${h.step}: dikirim ${L.fmt.dateTime(h.sent_at)} oleh ${h.sent_by}` +
          (h.received_at ? ` · diterima kembali ${L.fmt.dateTime(h.received_at)}` : "") +
          ` · di Dinas ${duration(h.seconds_outside)}` +
          (h.sla_fraction != null ? ` (${Math.round(h.sla_fraction * 100)}% waktu standar)` : "") +
          (h.overdue ? " · melewati waktu standar" : "")})));
    if (current) {
      const action = open ? "received" : "sent";
      const button = L.el("button", {type: "button", id: "btn-handoff",
        class: open ? "btn-success" : "btn-primary",
        text: open ? "Tandai diterima kembali" : "Tandai dikirim ke Dinas"});
      button.addEventListener("click", () => L.busy(button, async () => {
        await L.workflow(`cases/${c.id}/handoff/${action}`, {method: "POST", body: {}});
        L.flash(open ? "Berkas diterima kembali." : "Berkas dicatat terkirim.", "ok");
        await reload();
      }, panel));
      panel.append(L.el("p", {class: "form-error", role: "alert"}), button);
    }
    return panel;
  });
})();
