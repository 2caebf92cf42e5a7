// A form that comes back with errors: focus (and so scroll) to its error summary at the top of the form
// (the NL Design System pattern), and let a link in the summary move to its field. Without JavaScript the
// summary has `autofocus` and the form posts to an address with an anchor to the form.
(function () {
  "use strict";
  function focusSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) return;
    // A page shown again by the address its form posted to takes its own address back (at the same
    // anchor), so a reload or a bookmark opens the page instead of sending the form again.
    var own = document.querySelector("meta[name='ww-page-url']");
    if (own && window.history.replaceState) {
      window.history.replaceState(null, "", own.content + window.location.hash);
    }
    if (document.activeElement !== summary) summary.focus({ preventScroll: true });
    summary.scrollIntoView({ block: "start" });
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) return;
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) return;
    event.preventDefault();
    var label = document.querySelector("label[for='" + CSS.escape(field.id) + "']");
    (label || field).scrollIntoView({ block: "start" });
    field.focus({ preventScroll: true });
  });
  // After the browser went to the address's anchor (which moves focus to the page), not before.
  if (document.readyState === "complete") focusSummary();
  else
    window.addEventListener("load", function () {
      window.setTimeout(focusSummary, 0);
    });
})();
