// Draws every chart of a page from its JSON block (<script type="application/json" class="chart-data">).
// The charts' data is data, not code: the page needs no inline script (CSP script-src 'self').
window.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("script.chart-data").forEach(function (block) {
    var spec = JSON.parse(block.textContent);
    Plotly.newPlot(block.dataset.for, spec.figure.data, spec.figure.layout, spec.config);
  });
});
