// The review console: zoom and rotate each image in place, and keys for working the queue all day.
// Every key names an element on the page (data-key) or an image tool; the page lists them (#keys).
(function () {
  "use strict";
  var figures = Array.prototype.slice.call(document.querySelectorAll("[data-image]"));
  var active = 0;

  function choose(index) {
    if (!figures.length) { return; }
    active = (index + figures.length) % figures.length;
    figures.forEach(function (f, i) { f.classList.toggle("active", i === active); });
  }

  figures.forEach(function (figure, index) {
    var img = figure.querySelector("img");
    var scale = 1, turn = 0;
    function apply() { img.style.transform = "rotate(" + turn + "deg) scale(" + scale + ")"; }
    figure.zoom = function (factor) { scale = Math.min(4, Math.max(0.5, scale * factor)); apply(); };
    figure.rotate = function () { turn = (turn + 90) % 360; apply(); };
    figure.querySelectorAll("[data-zoom]").forEach(function (button) {
      button.addEventListener("click", function () { figure.zoom(parseFloat(button.getAttribute("data-zoom"))); });
    });
    var rotate = figure.querySelector("[data-rotate]");
    if (rotate) { rotate.addEventListener("click", figure.rotate); }
    figure.addEventListener("pointerenter", function () { choose(index); });
    figure.addEventListener("click", function () { choose(index); });
  });
  if (figures.length) {
    choose(0);
  }

  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (typing(event.target)) {
      if (event.key === "Escape") { event.target.blur(); }
      return;
    }
    var key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    var figure = figures[active];
    if (figure && (key === "+" || key === "=")) { figure.zoom(1.25); }
    else if (figure && (key === "-" || key === "_")) { figure.zoom(0.8); }
    else if (figure && key === "o") { figure.rotate(); }
    else if (figures.length && key === "i") {
      choose(active + 1);
      figures[active].scrollIntoView({ block: "nearest" });
    } else {
      var target = document.querySelector('[data-key="' + key + '"]');
      if (!target) { return; }
      if (target.tagName === "TEXTAREA" || target.tagName === "INPUT") { target.focus(); }
      else { target.click(); }
    }
    event.preventDefault();
  });
})();
