// Follows a background job: polls its status JSON and reloads the page when it is finished.
// Markup: <div data-job-status-url="/jobs/1/status/"> with a <progress> and [data-job-text].
(function () {
  "use strict";
  document.querySelectorAll("[data-job-status-url]").forEach(function (box) {
    var bar = box.querySelector("progress");
    var text = box.querySelector("[data-job-text]");
    function poll() {
      fetch(box.dataset.jobStatusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) { throw new Error(response.status); }
          return response.json();
        })
        .then(function (job) {
          if (bar) { bar.value = job.progress; bar.textContent = job.progress + " %"; }
          if (text) { text.textContent = job.status_label + " (" + job.progress + " %)"; }
          if (job.finished) { window.location.reload(); } else { window.setTimeout(poll, 1000); }
        })
        .catch(function () {
          if (text) { text.textContent = "Status kunne ikke hentes. Brug linket “Opdater status”."; }
        });
    }
    window.setTimeout(poll, 500);
  });
})();
