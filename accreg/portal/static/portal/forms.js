// Small form behaviours, in a file because the pages run no inline code (Content-Security-Policy).
// - A select marked data-autosubmit sends its form when it changes, through the button it names
//   (data-autosubmit="choose_province") or as a plain submit.
// - A link marked data-back goes back one page; without JavaScript it follows its href.
(function () {
  "use strict";
  document.querySelectorAll("[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () {
      var name = el.getAttribute("data-autosubmit");
      var button = name ? el.form.querySelector('[name="' + name + '"]') : null;
      if (button) { button.click(); } else if (el.form.requestSubmit) { el.form.requestSubmit(); } else { el.form.submit(); }
    });
  });
  document.querySelectorAll("[data-back]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (window.history.length > 1) { event.preventDefault(); window.history.back(); }
    });
  });
})();
