// The "select all" box on django-import-export's export page, wired without an inline
// onchange attribute (strict Content-Security-Policy). onSelectToggleChange comes from
// import_export/export_selectable_fields.js, loaded by the form's media.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("input.select-toggle").forEach(function (box) {
    box.addEventListener("change", function (event) {
      if (typeof window.onSelectToggleChange === "function") {
        window.onSelectToggleChange(event);
      }
    });
  });
});
