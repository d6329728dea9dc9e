/* Shareable URLs: a GET filter form sends only the fields that are set, so the address bar reads
   /?citizenship=russia&region=southwest rather than a row of empty parameters. */
(function () {
  "use strict";
  document.querySelectorAll("form[data-clean-url]").forEach(function (form) {
    form.addEventListener("submit", function () {
      Array.prototype.forEach.call(form.elements, function (el) {
        if (el.name && el.value === "" ) { el.disabled = true; }
      });
      // a Back navigation restores the page from cache: give the fields back
      window.setTimeout(function () {
        Array.prototype.forEach.call(form.elements, function (el) { el.disabled = false; });
      }, 0);
    });
  });
})();
