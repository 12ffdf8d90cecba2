// Buku Tamu (receptionist): check guests in and out, who is inside now, the guest book to download.
// The workflow API decides everything (cards out, masking); this page only shows and sends.
(function () {
  "use strict";
  const L = window.Loket;
  if (!L.guard("tamu")) return;
  const $ = (id) => document.getElementById(id);
  const el = L.el;
  const canReceive = L.hasAny("petugas", "admin");

  // -- the visitor cards -----------------------------------------------------------------------

  async function loadCards() {
    const data = await L.workflow("guests/cards");
    const free = data.cards.filter((c) => c.free);
    $("g-card").replaceChildren(
      el("option", {value: "", text: free.length ? "— pilih kartu tamu —" : "Semua kartu sedang dipakai"}),
      ...free.map((c) => el("option", {value: String(c.number), text: `Kartu tamu ${c.number}`})));
  }

  // -- who is inside ---------------------------------------------------------------------------

  const loadInside = L.serial(async () => {
    const scope = $("inside-section");
    try {
      const data = await L.workflow("guests/inside");
      $("inside-count").textContent = String(data.guests.length);
      $("inside-empty").hidden = data.guests.length > 0;
      document.querySelector("#inside-table tbody").replaceChildren(...data.guests.map((g) =>
        el("tr", {dataset: {guestId: String(g.id)}},
          el("td", {class: "num", text: g.visitor_card != null ? String(g.visitor_card) : "—"}),
          el("td", {}, el("strong", {text: g.name}),
            g.group_size > 1 ? ` (rombongan ${g.group_size} orang)` : "",
            g.institution ? el("div", {class: "muted small", text: g.institution}) : null),
          el("td", {text: g.host}),
          el("td", {class: "guest-way", text: g.way || "—"}),
          el("td", {text: g.id_card ? `${g.id_card.type_label} ${g.id_card.number_masked}` : "—"}),
          el("td", {text: L.fmt.when(g.arrived_at)}),
          el("td", {}, canReceive ? el("button", {type: "button", class: "btn-success btn-small",
            text: "Pulang", onclick: (ev) => L.busy(ev.currentTarget, async () => {
              await L.workflow(`guests/${g.id}/checkout`, {method: "POST"});
              L.flash(`Kartu tamu ${g.visitor_card ?? ""} kembali; kembalikan kartu identitasnya.`, "ok");
              await Promise.all([loadInside(), loadCards()]);
            }, scope)}) : null))));
    } catch (err) { L.showError(err, scope); }
  });

  // -- check-in --------------------------------------------------------------------------------

  function formBody() {
    const value = (id) => $(id).value.trim();
    const body = {name: value("g-name"), institution: value("g-institution") || null,
      purpose: value("g-purpose"), host: value("g-host"),
      group_size: Number(value("g-group") || "1")};
    if (value("g-id-type")) body.id_card = {type: value("g-id-type"), number: value("g-id-number")};
    if (value("g-card")) body.visitor_card = Number(value("g-card"));
    if (value("g-ticket-id")) {
      body.ticket = {id: Number(value("g-ticket-id")), number: value("g-ticket-number") || null};
    }
    return body;
  }

  $("guest-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const form = ev.currentTarget;
    L.busy($("btn-check-in"), async () => {
      const guest = await L.workflow("guests", {method: "POST", body: formBody()});
      form.reset();
      const way = guest.way ? ` Arahkan ke ${guest.way}.` : "";
      L.flash(guest.visitor_card != null
        ? `${guest.name} tercatat; serahkan kartu tamu ${guest.visitor_card} dan tunjukkan jalan ke ${guest.host}.${way}`
        : `${guest.name} tercatat.${way}`, "ok");
      await Promise.all([loadInside(), loadCards(), loadKioskGuests()]);
    }, form);
  });

  // Guests who answered the kiosk's questions and are being served at a counter now.
  async function loadKioskGuests() {
    try {
      const data = await L.queue("tickets?service=penerimaan-tamu&status=serving");
      const box = $("kiosk-guest-buttons");
      box.replaceChildren(...data.tickets.map((t) => el("button", {type: "button",
        class: "btn-secondary", text: `Isi dari tiket ${t.number}`,
        onclick: () => prefill(t)})));
      $("kiosk-guests").hidden = data.tickets.length === 0;
    } catch (err) { /* the queue may be busy; the form works without it */ }
  }

  function prefill(ticket) {
    const d = ticket.details || {};
    $("g-name").value = (ticket.visitor && ticket.visitor.name) || "";
    $("g-institution").value = d.institution || "";
    $("g-purpose").value = d.purpose || "";
    $("g-host").value = d.meet || "";
    $("g-group").value = String(d.group_size || 1);
    $("g-ticket-id").value = String(ticket.id);
    $("g-ticket-number").value = ticket.number;
    $("g-name").focus();
  }

  // -- the guest book --------------------------------------------------------------------------

  document.querySelectorAll("#book-form [data-format]").forEach((button) => {
    button.addEventListener("click", () => L.busy(button, async () => {
      const date = $("book-date").value;
      const month = $("book-month").value;
      const query = date ? `date=${date}` : `month=${month}`;
      const res = await L.workflow(`guests/export.${button.dataset.format}?${query}`, {raw: true});
      const blob = await res.blob();
      const link = el("a", {href: URL.createObjectURL(blob),
        download: `buku-tamu-${date || month}.${button.dataset.format}`});
      document.body.append(link);
      link.click();
      link.remove();
    }, $("book-section")));
  });

  // -- start -----------------------------------------------------------------------------------

  if (!canReceive) $("guest-section").hidden = true;
  $("book-date").value = L.fmt.localDay();
  $("book-date").addEventListener("change", () => { if ($("book-date").value) $("book-month").value = ""; });
  $("book-month").addEventListener("change", () => { if ($("book-month").value) $("book-date").value = ""; });
  loadInside();
  if (canReceive) {
    loadCards().catch((err) => L.showError(err, $("guest-form")));
    loadKioskGuests();
  }
  L.stream("workflow", "events?after=latest", {onEvent(type) {
    if (String(type).startsWith("guest.")) { loadInside(); if (canReceive) loadCards(); }
  }});
})();
