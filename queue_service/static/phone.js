/* The visitor's ticket on a phone: live status, "Giliran Anda" with sound and vibration, and
 * the SKM survey after service. Live by the ticket-scoped stream; where that is not served,
 * the hall's queue stream for the ticket's service; failing both, polling every 3 s. */
(function () {
  "use strict";
  var app = document.getElementById("app");
  var labels = JSON.parse(document.getElementById("labels").textContent);
  var statusUrl = app.dataset.statusUrl;
  var surveyState = app.dataset.survey;
  var lastStatus = app.dataset.status;
  var lastCalledAt = null;
  var audio = null;
  var pollTimer = null;
  var refreshing = false;

  function $(id) { return document.getElementById(id); }
  function show(id, on) { $(id).hidden = !on; }

  function counterName(ticket) {
    return ticket.counter ? (ticket.counter.name || ("Loket " + ticket.counter.number)) : "loket";
  }

  function alertCall() {
    if (navigator.vibrate) {
      try { navigator.vibrate([400, 200, 400, 200, 400]); } catch (e) { /* not allowed */ }
    }
    if (!audio) { return; }
    [0, 0.35].forEach(function (delay) {
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      osc.frequency.value = delay ? 660 : 880;
      gain.gain.value = 0.25;
      osc.connect(gain); gain.connect(audio.destination);
      osc.start(audio.currentTime + delay);
      osc.stop(audio.currentTime + delay + 0.3);
    });
  }

  function render(ticket) {
    var status = ticket.status;
    $("number").textContent = ticket.number;
    $("service").textContent = ticket.service_name;
    $("status-label").textContent = labels[status] || status;
    var waiting = status === "waiting" || status === "on_hold";
    show("waiting", waiting);
    if (waiting) {
      $("position").textContent = ticket.position == null ? "–" : ticket.position;
      $("people-ahead").textContent = ticket.people_ahead == null ? "–" : ticket.people_ahead;
      $("wait").textContent = ticket.estimated_wait_minutes == null ? "–"
        : "± " + ticket.estimated_wait_minutes + " menit";
    }
    show("called", status === "called");
    if (status === "called") {
      $("called-counter").textContent = counterName(ticket);
      if (lastStatus !== "called" || ticket.called_at !== lastCalledAt) { alertCall(); }
    }
    lastCalledAt = ticket.called_at;
    show("serving", status === "serving");
    if (status === "serving") { $("serving-counter").textContent = counterName(ticket); }
    var ended = ["done", "no_show", "cancelled", "closed"].indexOf(status) >= 0;
    show("ended", ended);
    if (status === "done") { $("ended-text").textContent = "Pelayanan Anda selesai. Terima kasih."; }
    else if (ended) { $("ended-text").textContent = "Antrean ini sudah " + (labels[status] || status) + "."; }
    if (status === "done" && surveyState === "not_yet") { surveyState = "open"; }
    show("survey", status === "done" && surveyState === "open");
    show("survey-done", surveyState === "answered");
    lastStatus = status;
  }

  function refresh() {
    if (refreshing) { return; }
    refreshing = true;
    fetch(statusUrl, { headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (ticket) { if (ticket) { render(ticket); } })
      .catch(function () { /* offline for a moment: the next event or poll tries again */ })
      .then(function () { refreshing = false; });
  }

  function listen(url, fallback) {
    if (!url || !window.EventSource) { fallback(); return; }
    var source = new EventSource(url);
    var opened = false;
    source.onopen = function () { opened = true; $("live").textContent = "Diperbarui langsung"; refresh(); };
    source.onmessage = refresh;
    ["ticket.called", "ticket.recalled", "ticket.serving", "ticket.done", "ticket.no_show",
     "ticket.cancelled", "ticket.transferred", "ticket.on_hold", "ticket.resumed",
     "ticket.issued", "reset"].forEach(function (type) { source.addEventListener(type, refresh); });
    source.onerror = function () {
      if (!opened || source.readyState === EventSource.CLOSED) { source.close(); fallback(); }
    };
  }

  function poll() {
    $("live").textContent = "Diperbarui otomatis";
    if (!pollTimer) { pollTimer = setInterval(refresh, 3000); }
  }

  $("sound-on").addEventListener("click", function () {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (Ctx && !audio) { audio = new Ctx(); }
    if (navigator.vibrate) { try { navigator.vibrate(80); } catch (e) { /* not allowed */ } }
    $("sound-on").textContent = "Suara & getar aktif";
    $("sound-on").disabled = true;
  });

  $("survey-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = event.target;
    var answers = {};
    Array.prototype.forEach.call(form.querySelectorAll("input[type=radio]:checked"), function (input) {
      answers[input.name] = parseInt(input.value, 10);
    });
    var age = form.elements.age.value;
    var body = {
      answers: answers,
      profile: { age: age ? parseInt(age, 10) : null, gender: form.elements.gender.value || null,
                 education: form.elements.education.value || null,
                 occupation: form.elements.occupation.value || null },
      comment: form.elements.comment.value || null
    };
    $("survey-submit").disabled = true;
    fetch(app.dataset.surveyUrl, { method: "POST", body: JSON.stringify(body),
                                   headers: { "Content-Type": "application/json", Accept: "application/json" } })
      .then(function (r) { return r.json().then(function (data) { return { status: r.status, data: data }; }); })
      .then(function (res) {
        if (res.status === 201 || res.status === 409) {
          surveyState = "answered";
          $("survey-done-text").textContent = res.status === 201 ? res.data.message : res.data.error.message;
          show("survey", false); show("survey-done", true);
          return;
        }
        $("survey-error").textContent = res.data.error ? res.data.error.message : "Gagal mengirim. Coba lagi.";
        $("survey-error").hidden = false;
        $("survey-submit").disabled = false;
      })
      .catch(function () {
        $("survey-error").textContent = "Tidak tersambung. Coba kirim lagi.";
        $("survey-error").hidden = false;
        $("survey-submit").disabled = false;
      });
  });

  refresh();
  listen(app.dataset.eventsUrl, poll);  // the ticket's own stream, else polling
  setInterval(refresh, 20000); // the estimate moves as the line moves, even without an event
}());
