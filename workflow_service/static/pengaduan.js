// The public complaint form (pengaduan.html): sends the form to the complaints API and shows
// the tracking code. A static file, so the page's Content-Security-Policy needs no inline script.
(function () {
  var form = document.getElementById("form");
  var error = document.getElementById("error");
  form.addEventListener("input", function () { error.hidden = true; });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    error.hidden = true;
    var button = document.getElementById("send");
    button.disabled = true;
    fetch(form.dataset.submitUrl, {method: "POST", body: new FormData(form)})
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          if (!response.ok) {
            var message = (body.error && body.error.message) || "Pengaduan belum terkirim; coba lagi.";
            throw new Error(message);
          }
          document.getElementById("code").textContent = body.tracking_code;
          document.getElementById("track").href = body.track_url;
          document.getElementById("done").hidden = false;
          form.hidden = true;
        });
      })
      .catch(function (err) {
        error.textContent = err.message;
        error.hidden = false;
      })
      .finally(function () { button.disabled = false; });
  });
})();
