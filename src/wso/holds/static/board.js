// The hold board's live parts, without a library: countdowns tick every second, and the rows are
// fetched again (server-rendered HTML, the same template) every few seconds and swapped in place.
// The server's clock is the reference (data-now), so a countdown is right even if this computer's
// clock is off, or the server's clock is shifted for a test (WSO_CLOCK_OFFSET).
(function () {
  "use strict";
  var board = document.getElementById("board");
  if (!board) { return; }
  var skew = 0;

  function sync() {
    var body = board.querySelector("[data-now]");
    if (body) { skew = Date.parse(body.getAttribute("data-now")) - Date.now(); }
  }

  function text(ms) {
    var past = ms < 0;
    var s = Math.floor(Math.abs(ms) / 1000);
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
    s = s % 60;
    var t = h + " h " + String(m).padStart(2, "0") + " min " + String(s).padStart(2, "0") + " s";
    return past ? t + " past" : "in " + t;
  }

  function tick() {
    var now = Date.now() + skew;
    var items = document.querySelectorAll("[data-deadline]");
    for (var i = 0; i < items.length; i++) {
      var ms = Date.parse(items[i].getAttribute("data-deadline")) - now;
      items[i].textContent = text(ms);
      items[i].classList.toggle("past", ms < 0);
    }
  }

  function refresh() {
    fetch(board.getAttribute("data-refresh"), { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null) { return; }
        board.innerHTML = html;
        sync();
        tick();
        board.setAttribute("data-refreshed", String(Date.now()));
      })
      .catch(function () { /* offline for a moment: keep the last rows, try again */ });
  }

  sync();
  tick();
  window.setInterval(tick, 1000);
  window.setInterval(refresh, Number(board.getAttribute("data-interval") || 5000));
}());
