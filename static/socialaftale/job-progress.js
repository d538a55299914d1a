// The one poller for every kind of background job (validation, PDFs, spreadsheets).
// Markup (templates/socialaftale/_job_progress.html):
//   <div data-job-status-url="/jobs/1/status/" data-job-done-url="/where/to/go/">
//     <progress>, [data-job-text], [data-job-queue-note], [data-job-error]
// It polls /jobs/<id>/status/ and, when the job is done, goes to data-job-done-url (a report
// or the finished file) or reloads the page; a failed job shows its Danish error. While the
// queue cannot be reached it shows the note, and says so when the queue is back.
// A page where the user has typed or chosen something in a form is not left or reloaded: the
// box says the job is done and links where the page would have gone.
(function () {
  "use strict";
  var QUEUE_BACK = "Køen er tilgængelig igen; opgaven køres nu.";
  var DONE_KEPT = "Færdig. Siden opdateres ikke, så det, du har skrevet, bliver stående: ";

  function changed(field) {
    if (field.type === "hidden" || field.type === "submit" || field.type === "button") {
      return false;
    }
    if (field.type === "checkbox" || field.type === "radio") {
      return field.checked !== field.defaultChecked;
    }
    if (field.tagName === "SELECT") {
      return Array.prototype.some.call(field.options, function (option) {
        return option.selected !== option.defaultSelected;
      });
    }
    return field.value !== field.defaultValue;
  }

  function formsChanged() {
    return Array.prototype.some.call(
      document.querySelectorAll("form input, form textarea, form select"), changed);
  }

  function keepPage(text, target) {
    var here = !target || target === window.location.pathname;
    var link = document.createElement("a");
    link.href = here ? window.location.href : target;
    link.textContent = here ? "opdater siden" : "vis resultatet";
    text.textContent = DONE_KEPT;
    text.appendChild(link);
    text.appendChild(document.createTextNode("."));
  }

  document.querySelectorAll("[data-job-status-url]").forEach(function (box) {
    var bar = box.querySelector("progress");
    var text = box.querySelector("[data-job-text]");
    var note = box.querySelector("[data-job-queue-note]");
    var errorBox = box.querySelector("[data-job-error]");
    var noteShown = note && !note.hidden;
    var failures = 0;

    function show(job) {
      if (bar) { bar.value = job.progress; bar.textContent = job.progress + " %"; }
      if (text) { text.textContent = job.status_label + " (" + job.progress + " %)"; }
      if (note) {
        if (job.waits_for_queue) {
          note.textContent = job.queue_note;
          note.hidden = false;
          noteShown = true;
        } else if (noteShown) {
          note.textContent = QUEUE_BACK;
          note.className = "message message-success";
        }
      }
    }

    function poll() {
      fetch(box.dataset.jobStatusUrl, {
        headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store"
      })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.json();
        })
        .then(function (job) {
          failures = 0;
          show(job);
          if (job.status === "done") {
            var target = box.dataset.jobDoneUrl || job.done_url;
            if (text && formsChanged()) {
              keepPage(text, target);
            } else if (target) {
              window.location.assign(target);
            } else {
              window.location.reload();
            }
          } else if (job.status === "failed") {
            if (errorBox) { errorBox.textContent = job.error; errorBox.hidden = false; }
          } else {
            window.setTimeout(poll, 1000);
          }
        })
        .catch(function () {
          failures += 1;
          if (text && failures > 2) {
            text.textContent = "Status kunne ikke hentes lige nu; der prøves igen.";
          }
          window.setTimeout(poll, Math.min(10000, 1000 * failures));
        });
    }
    window.setTimeout(poll, 500);
  });
})();
