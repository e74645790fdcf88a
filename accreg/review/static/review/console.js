// The review console: zoom and rotate each image in place.
(function () {
  "use strict";
  document.querySelectorAll("[data-image]").forEach(function (figure) {
    var img = figure.querySelector("img");
    var scale = 1, turn = 0;
    function apply() { img.style.transform = "rotate(" + turn + "deg) scale(" + scale + ")"; }
    figure.querySelectorAll("[data-zoom]").forEach(function (button) {
      button.addEventListener("click", function () {
        scale = Math.min(4, Math.max(0.5, scale * parseFloat(button.getAttribute("data-zoom"))));
        apply();
      });
    });
    var rotate = figure.querySelector("[data-rotate]");
    if (rotate) { rotate.addEventListener("click", function () { turn = (turn + 90) % 360; apply(); }); }
  });
})();
