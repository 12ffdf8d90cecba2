// The public tracking page (track.html): dates in the office's time zone, in Bahasa Indonesia.
(function () {
  var format = new Intl.DateTimeFormat("id-ID", {timeZone: "Asia/Jakarta", dateStyle: "full", timeStyle: "short"});
  var times = document.querySelectorAll("time.local");
  for (var i = 0; i < times.length; i++) {
    var d = new Date(times[i].getAttribute("datetime"));
    times[i].textContent = format.format(d) + " WIB";
  }
})();
