// Polls the upload's status JSON and shows the report when the validation is done.
(function () {
  "use strict";
  var box = document.getElementById("upload-progress");
  if (!box) { return; }
  var url = box.getAttribute("data-status-url");
  var bar = document.getElementById("upload-bar");
  var label = document.getElementById("upload-status-label");
  var percent = document.getElementById("upload-status-percent");
  function poll() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        bar.value = data.progress;
        bar.textContent = data.progress + " %";
        percent.textContent = data.progress;
        label.textContent = data.status_label;
        if (data.validated) {
          window.location.assign(data.report_url);
        } else if (data.finished) {
          label.textContent = data.status_label + ": " + data.error;
        } else {
          window.setTimeout(poll, 700);
        }
      })
      .catch(function () { window.setTimeout(poll, 2000); });
  }
  window.setTimeout(poll, 300);
})();
