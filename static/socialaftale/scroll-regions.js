// A table that is wider than the screen scrolls by itself (see site.css). A scrolling
// region must be reachable by keyboard (WCAG 2.1.1): give it a tab stop and a name.
(function () {
  "use strict";
  function mark() {
    document.querySelectorAll("main table").forEach(function (table) {
      var scrolls = table.scrollWidth > table.clientWidth + 1;
      if (scrolls && !table.hasAttribute("tabindex")) {
        table.setAttribute("tabindex", "0");
        table.dataset.scrollRegion = "1";
      } else if (!scrolls && table.dataset.scrollRegion) {
        table.removeAttribute("tabindex");
        delete table.dataset.scrollRegion;
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mark);
  } else {
    mark();
  }
  window.addEventListener("resize", mark);
})();
