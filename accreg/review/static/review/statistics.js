// Charts of the statistics page; the tables under them hold the same numbers without JavaScript.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  if (!window.Chart) { return; }
  var colours = ["#1f3a5f", "#b3261e", "#2f8132", "#e8a33d", "#52606d", "#7b61ff", "#0e7c86", "#a35e00"];
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var chart = data[canvas.getAttribute("data-chart")];
    var doughnut = canvas.getAttribute("data-chart") === "by_status";
    new window.Chart(canvas, {
      type: doughnut ? "doughnut" : "bar",
      data: {
        labels: chart.rows.map(function (r) { return r[0]; }),
        datasets: [{ label: "人数", data: chart.rows.map(function (r) { return r[1]; }), backgroundColor: colours }]
      },
      options: { animation: false, plugins: { legend: { display: doughnut } }, scales: doughnut ? {} : { y: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
  });
})();
