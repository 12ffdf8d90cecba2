/* Waiting-room TV: renders /api/queue/board, follows /api/queue/events, speaks the calls. */
(function () {
  'use strict';

  var root = document.getElementById('app');
  var SERVICES = (root.dataset.services || '').trim();
  var SERVICE_FILTER = SERVICES ? SERVICES.split(',') : [];
  var ANNOUNCE_URL = root.dataset.announceUrl || 'announce.wav';
  var LOCAL_LOGO = root.dataset.logoUrl || '';
  var API = apiBase();
  // The TV's display token (the page is opened as /display/?token=dev_…): an EventSource
  // cannot send headers, so the stream gets it as ?token=. Without it the stream refuses and
  // the page keeps itself up to date by polling the board.
  var TOKEN = new URLSearchParams(window.location.search).get('token') || '';

  var FALLBACK_AFTER_MS = 5000;   // stream down this long → poll the board snapshot
  var POLL_EVERY_MS = 3000;
  var RECONNECT_MS = 3000;        // when the browser gave up on the stream (e.g. HTTP 503)
  var REFRESH_DEBOUNCE_MS = 400;
  var MAX_CALLS = 10;
  var MAX_AUDIO_QUEUE = 5;
  var SOUND_KEY = 'loket.display.sound';
  var CALL_TYPES = ['ticket.called', 'ticket.recalled'];
  var OTHER_TYPES = ['ticket.issued', 'ticket.serving', 'ticket.done', 'ticket.no_show',
    'ticket.on_hold', 'ticket.resumed', 'ticket.transferred', 'ticket.cancelled',
    'counter.updated', 'announcement.updated'];
  var ZONES = { 'Asia/Jakarta': 'WIB', 'Asia/Pontianak': 'WIB', 'Asia/Makassar': 'WITA',
    'Asia/Jayapura': 'WIT' };

  // Test hook and the page's whole state; only ticket numbers and counters, never people.
  var state = window.loketDisplay = {
    apiBase: API,
    lastEventId: null,
    calls: [],
    audioQueue: [],
    played: [],
    board: null,
    connection: 'connecting',
    soundEnabled: false,
    boardFetches: 0
  };

  function apiBase() {
    var override = (root.dataset.apiBase || '').trim();
    if (override) return override.replace(/\/+$/, '');
    // The page lives at <origin>/display/, the queue API at <origin>/api/queue/.
    return new URL('../api/queue', window.location.href).href.replace(/\/+$/, '');
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function wanted(service) {
    return !SERVICE_FILTER.length || SERVICE_FILTER.indexOf(service) !== -1;
  }

  function serviceName(code) {
    var waiting = (state.board && state.board.waiting) || [];
    for (var i = 0; i < waiting.length; i++) {
      if (waiting[i].service === code) return waiting[i].name;
    }
    return code || '';
  }

  // --- clock ------------------------------------------------------------------------------
  var dateFmt = null, timeFmt = null, fmtZone = null;

  function tickClock() {
    var zone = (state.board && state.board.office && state.board.office.timezone) || 'Asia/Jakarta';
    if (zone !== fmtZone) {
      try {
        dateFmt = new Intl.DateTimeFormat('id-ID', { timeZone: zone, weekday: 'long',
          day: 'numeric', month: 'long', year: 'numeric' });
        timeFmt = new Intl.DateTimeFormat('id-ID', { timeZone: zone, hour: '2-digit',
          minute: '2-digit', second: '2-digit', hour12: false });
      } catch (e) {
        dateFmt = new Intl.DateTimeFormat('id-ID', { weekday: 'long', day: 'numeric',
          month: 'long', year: 'numeric' });
        timeFmt = new Intl.DateTimeFormat('id-ID', { hour: '2-digit', minute: '2-digit',
          second: '2-digit', hour12: false });
      }
      fmtZone = zone;
      document.getElementById('clock-zone').textContent = ZONES[zone] || '';
    }
    var now = new Date();
    document.getElementById('clock-date').textContent = dateFmt.format(now);
    document.getElementById('clock-time').textContent = timeFmt.format(now);
  }

  // --- rendering --------------------------------------------------------------------------
  function columnsFor(n) {
    if (n <= 4) return Math.max(n, 1);
    if (n <= 6) return 3;
    if (n <= 8) return 4;
    if (n <= 10) return 5;
    return 6;
  }

  function renderAll() {
    renderOffice();
    renderNow(false);
    renderCounters(null);
    renderCalls();
    renderWaiting();
    renderTicker();
  }

  function renderOffice() {
    var office = (state.board && state.board.office) || {};
    if (office.name) {
      document.getElementById('office-name').textContent = office.name;
      document.title = 'Layar Antrean · ' + office.name;
    }
    // The kabupaten with the office name ("Kecamatan Genteng · Kabupaten Banyuwangi").
    var region = (office.kabupaten || '').trim();
    if (region && !/^(kabupaten|kota)\s/i.test(region)) region = 'Kabupaten ' + region;
    document.getElementById('office-region').textContent = region;
    var logo = document.getElementById('office-logo');
    if (office.logo_url && logo.dataset.src !== office.logo_url) {
      logo.dataset.src = office.logo_url;
      logo.onerror = function () { logo.onerror = null; logo.src = LOCAL_LOGO; };
      logo.src = office.logo_url;
    }
  }

  function renderNow(flash) {
    var box = document.getElementById('now');
    var call = state.calls[0];
    if (!call) {
      box.classList.add('is-empty');
      document.getElementById('now-number').textContent = '—';
      document.getElementById('now-counter').textContent = '—';
      document.getElementById('now-service').textContent = 'Belum ada panggilan';
      return;
    }
    box.classList.remove('is-empty');
    document.getElementById('now-number').textContent = call.number;
    document.getElementById('now-counter').textContent = call.counter_number;
    document.getElementById('now-service').textContent =
      serviceName(call.service) + (call.recall ? ' · panggilan ulang' : '');
    if (flash) restartAnimation(box, 'flash');
  }

  function restartAnimation(node, cls) {
    node.classList.remove(cls);
    void node.offsetWidth; // reflow so the animation starts again
    node.classList.add(cls);
  }

  function renderCounters(flashCounterId) {
    var grid = document.getElementById('counter-grid');
    var counters = (state.board && state.board.counters) || [];
    var latest = state.calls[0];
    var cols = columnsFor(counters.length);
    grid.style.setProperty('--cols', cols);
    grid.style.setProperty('--rows', Math.max(1, Math.ceil(counters.length / cols)));
    grid.textContent = '';
    counters.forEach(function (c) {
      var tile = el('div', 'tile');
      tile.dataset.counterId = c.id;
      tile.dataset.counterNumber = c.number;
      var head = el('div', 'tile-head', c.name || ('Loket ' + c.number));
      var body = el('div', 'tile-body');
      var number = el('div', 'tile-number');
      var service = el('div', 'tile-service');
      if (c.status && c.status !== 'open') {
        tile.classList.add('is-closed');
        number.textContent = c.status === 'paused' ? 'Istirahat' : 'Tutup';
        service.textContent = '';
      } else if (c.current) {
        number.textContent = c.current.number;
        service.textContent = serviceName(c.current.service);
        if (c.current.status === 'serving') tile.classList.add('is-serving');
        if (latest && latest.counter_id === c.id && latest.number === c.current.number) {
          tile.classList.add('is-latest');
        }
      } else {
        tile.classList.add('is-idle');
        number.textContent = '—';
        service.textContent = (c.services || []).map(serviceName).join(' · ');
      }
      body.appendChild(number);
      body.appendChild(service);
      tile.appendChild(head);
      tile.appendChild(body);
      grid.appendChild(tile);
      if (flashCounterId !== null && flashCounterId === c.id) restartAnimation(tile, 'flash');
    });
  }

  function renderCalls() {
    var list = document.getElementById('last-calls');
    list.textContent = '';
    var earlier = state.calls.slice(1, 8);
    if (!earlier.length) {
      list.appendChild(el('li', 'empty-note', 'Belum ada panggilan sebelumnya'));
      return;
    }
    earlier.forEach(function (call) {
      var li = el('li');
      li.dataset.eventId = call.event_id;
      var left = el('span');
      left.appendChild(el('span', 'call-number', call.number));
      if (call.recall) left.appendChild(el('span', 'call-recall', 'ulang'));
      li.appendChild(left);
      li.appendChild(el('span', 'call-counter', 'Loket ' + call.counter_number));
      list.appendChild(li);
    });
    // Show only whole rows: drop the ones the panel cannot fit on this screen size.
    while (list.children.length > 1 && list.lastChild.offsetTop + list.lastChild.offsetHeight >
           list.offsetTop + list.clientHeight) {
      list.removeChild(list.lastChild);
    }
  }

  function renderWaiting() {
    var list = document.getElementById('waiting');
    list.textContent = '';
    var waiting = (state.board && state.board.waiting) || [];
    if (!waiting.length) {
      list.appendChild(el('li', 'empty-note', 'Tidak ada antrean'));
      return;
    }
    waiting.forEach(function (w) {
      var li = el('li');
      li.dataset.service = w.service;
      li.appendChild(el('span', 'waiting-prefix', w.prefix));
      li.appendChild(el('span', 'waiting-name', w.name));
      var count = el('span', 'waiting-count', w.waiting);
      li.appendChild(count);
      list.appendChild(li);
    });
  }

  var tickerText = null;
  function renderTicker() {
    var items = ((state.board && state.board.announcements) || []).filter(Boolean);
    if (!items.length) {
      var office = (state.board && state.board.office && state.board.office.name) || 'kantor kami';
      items = ['Selamat datang di ' + office + '. Silakan ambil nomor antrean di anjungan ' +
        'dan tunggu nomor Anda dipanggil.'];
    }
    var text = items.join('\u0000');
    if (text === tickerText) return; // do not restart the scroll on every refresh
    tickerText = text;
    var track = document.getElementById('ticker-track');
    track.textContent = '';
    items.forEach(function (item, i) {
      if (i) track.appendChild(el('span', 'ticker-sep', '◆'));
      track.appendChild(el('span', 'ticker-item', item));
    });
    var chars = items.join('').length;
    track.style.setProperty('--ticker-seconds', Math.max(20, Math.round(chars * 0.22)) + 's');
  }

  // --- applying data ----------------------------------------------------------------------
  function findCounter(id) {
    var counters = (state.board && state.board.counters) || [];
    for (var i = 0; i < counters.length; i++) if (counters[i].id === id) return counters[i];
    return null;
  }

  function applyCallToCounter(call) {
    var counter = findCounter(call.counter_id);
    if (!counter) return false;
    var recalls = call.recall && counter.current && counter.current.number === call.number
      ? (counter.current.recalls || 0) + 1 : 0;
    counter.current = { number: call.number, service: call.service, status: 'called',
      called_at: call.called_at, recalls: recalls };
    return true;
  }

  function addCall(call) {
    for (var i = 0; i < state.calls.length; i++) {
      if (state.calls[i].event_id === call.event_id) return false;
    }
    state.calls.push(call);
    state.calls.sort(function (a, b) { return (b.event_id || 0) - (a.event_id || 0); });
    state.calls.splice(MAX_CALLS);
    return true;
  }

  function applyBoard(board) {
    state.board = board;
    state.boardFetches += 1;
    if (state.lastEventId === null && typeof board.last_event_id === 'number') {
      state.lastEventId = board.last_event_id;
    }
    (board.last_calls || []).forEach(function (c) { if (wanted(c.service)) addCall(c); });
    // Events newer than the snapshot were already applied; keep them on top of it.
    var snapshotId = typeof board.last_event_id === 'number' ? board.last_event_id : -1;
    state.calls.slice().reverse().forEach(function (c) {
      if (c.event_id > snapshotId) applyCallToCounter(c);
    });
    renderAll();
  }

  var fetching = null;
  function refreshBoard() {
    if (fetching) return fetching;
    var url = API + '/board' + (SERVICES ? '?services=' + encodeURIComponent(SERVICES) : '');
    fetching = fetch(url, { cache: 'no-store', headers: { Accept: 'application/json' } })
      .then(function (r) {
        if (!r.ok) throw new Error('board HTTP ' + r.status);
        return r.json();
      })
      .then(function (board) { applyBoard(board); return true; })
      .catch(function () {
        if (state.connection !== 'live') setConnection('offline');
        return false;
      })
      .then(function (ok) { fetching = null; return ok; });
    return fetching;
  }

  var refreshTimer = null;
  function refreshSoon() {
    if (refreshTimer) return;
    refreshTimer = setTimeout(function () { refreshTimer = null; refreshBoard(); },
      REFRESH_DEBOUNCE_MS);
  }

  function onCallEvent(type, id, data) {
    var ticket = data.ticket || {};
    var counter = data.counter || {};
    if (!wanted(ticket.service)) return;
    var call = { event_id: id, number: ticket.number, service: ticket.service,
      counter_id: counter.id, counter_number: counter.number, counter_name: counter.name,
      called_at: data.at, recall: type === 'ticket.recalled' };
    addCall(call);
    var known = applyCallToCounter(call);
    renderNow(true);
    renderCounters(counter.id);
    renderCalls();
    if (!known) refreshSoon(); // a counter this page has not seen yet
    enqueueAnnouncement({ number: call.number, counter: call.counter_number,
      recall: call.recall, event_id: id });
    refreshSoon(); // waiting counts changed too
  }

  // Too far behind to replay: the server sends what the board shows now, and goes on from it.
  function onReset(e) {
    var board = null;
    try { board = JSON.parse(e.data); } catch (err) { board = null; }
    var id = parseInt(e.lastEventId, 10);
    if (!isNaN(id)) state.lastEventId = id;
    if (board && board.counters) applyBoard(board); else refreshBoard();
  }

  function onEvent(e) {
    var id = parseInt(e.lastEventId, 10);
    if (!isNaN(id)) {
      if (state.lastEventId !== null && id <= state.lastEventId) return; // already seen
      state.lastEventId = id;
    }
    var data = {};
    try { data = JSON.parse(e.data); } catch (err) { data = {}; }
    if (CALL_TYPES.indexOf(e.type) !== -1) onCallEvent(e.type, id, data);
    else refreshSoon();
  }

  // --- live stream with fallback ----------------------------------------------------------
  var source = null, downSince = null, hadError = false, reconnectTimer = null, pollTimer = null;

  function setConnection(mode) {
    state.connection = mode;
    var box = document.getElementById('conn');
    box.className = 'conn conn-' + mode;
    document.getElementById('conn-text').textContent = {
      live: 'Tersambung', connecting: 'Menyambung…', reconnecting: 'Menyambung ulang…',
      polling: 'Mode cadangan', offline: 'Terputus'
    }[mode] || mode;
  }

  function eventsUrl() {
    var params = new URLSearchParams();
    if (state.lastEventId !== null) params.set('after', String(state.lastEventId));
    if (SERVICES) params.set('services', SERVICES);
    if (TOKEN) params.set('token', TOKEN);
    var qs = params.toString();
    return API + '/events' + (qs ? '?' + qs : '');
  }

  function connect() {
    if (reconnectTimer) { clearTimeout(reconnectTimer); reconnectTimer = null; }
    if (source) source.close();
    var es = source = new EventSource(eventsUrl());
    es.onopen = function () {
      if (es !== source) return;
      var wasDown = hadError;
      hadError = false;
      downSince = null;
      stopPolling();
      setConnection('live');
      if (wasDown) refreshBoard(); // calls made meanwhile show up even if the log was trimmed
    };
    es.onerror = function () {
      if (es !== source) return;
      hadError = true;
      if (downSince === null) downSince = Date.now();
      if (!pollTimer) setConnection('reconnecting');
      if (es.readyState === EventSource.CLOSED && !reconnectTimer) {
        // The browser gives up after an HTTP error; retry ourselves, resuming with ?after=.
        reconnectTimer = setTimeout(function () { reconnectTimer = null; connect(); },
          RECONNECT_MS);
      }
    };
    CALL_TYPES.concat(OTHER_TYPES).forEach(function (type) {
      es.addEventListener(type, onEvent);
    });
    es.addEventListener('reset', onReset);
  }

  function startPolling() {
    if (pollTimer) return;
    setConnection('polling');
    refreshBoard();
    pollTimer = setInterval(refreshBoard, POLL_EVERY_MS);
  }

  function stopPolling() {
    if (!pollTimer) return;
    clearInterval(pollTimer);
    pollTimer = null;
  }

  function watchdog() {
    if (downSince !== null && Date.now() - downSince >= FALLBACK_AFTER_MS) startPolling();
  }

  // --- voice ------------------------------------------------------------------------------
  var audio = new Audio();
  audio.preload = 'auto';
  var playing = null;

  function storedSound() {
    try { return window.localStorage.getItem(SOUND_KEY) === 'on'; } catch (e) { return false; }
  }

  function rememberSound() {
    try { window.localStorage.setItem(SOUND_KEY, 'on'); } catch (e) { /* private mode */ }
  }

  function showSoundPrompt(show) {
    document.getElementById('sound-enable').hidden = !show;
  }

  // The call's own id (its event id): the server speaks only calls the queue really made.
  function announceUrl(item) {
    if (typeof item.event_id === 'number' && !isNaN(item.event_id)) {
      return ANNOUNCE_URL + '?call=' + encodeURIComponent(String(item.event_id));
    }
    return ANNOUNCE_URL + '?number=' + encodeURIComponent(item.number) +
      '&counter=' + encodeURIComponent(item.counter) + (item.recall ? '&recall=1' : '');
  }

  function enqueueAnnouncement(item) {
    if (!item.number || !item.counter) return;
    state.audioQueue.push(item);
    // A long outage must not become minutes of backlog: keep the newest few.
    while (state.audioQueue.length > MAX_AUDIO_QUEUE) state.audioQueue.shift();
    playNext();
  }

  function finished(token) {
    if (playing !== token) return; // 'ended', 'error' and a rejected play() may all report
    playing = null;
    setTimeout(playNext, 700);
  }

  function playNext() {
    if (playing || !state.soundEnabled || !state.audioQueue.length) return;
    var item = state.audioQueue.shift();
    var token = playing = { item: item };
    var url = announceUrl(item);
    state.played.push(url);
    if (state.played.length > 50) state.played.splice(0, state.played.length - 50); // runs for days
    audio.onended = function () { finished(token); };
    audio.onerror = function () { finished(token); };
    audio.src = url;
    var p = audio.play();
    if (p && p.catch) {
      p.catch(function (err) {
        if (playing !== token) return;
        if (err && err.name === 'NotAllowedError') {
          // Autoplay blocked (no click since the browser started): ask again, keep the call.
          playing = null;
          state.soundEnabled = false;
          state.audioQueue.unshift(item);
          showSoundPrompt(true);
        } else {
          finished(token);
        }
      });
    }
  }

  function enableSound() {
    state.soundEnabled = true;
    rememberSound();
    showSoundPrompt(false);
    // Only the newest pending call is still worth hearing.
    state.audioQueue.splice(0, Math.max(0, state.audioQueue.length - 1));
    playNext();
  }

  // --- start ------------------------------------------------------------------------------
  function start() {
    state.soundEnabled = storedSound();
    showSoundPrompt(!state.soundEnabled);
    document.getElementById('sound-enable').addEventListener('click', enableSound);
    setConnection('connecting');
    tickClock();
    renderAll();
    setInterval(function () { tickClock(); watchdog(); }, 1000);
    (function firstLoad() {
      refreshBoard().then(function (ok) {
        if (ok) connect();
        else setTimeout(firstLoad, POLL_EVERY_MS);
      });
    })();
  }

  start();
})();
