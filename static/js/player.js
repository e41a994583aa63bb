// The simulated player: moves the progress bar and clock between the server's heartbeats.
// The server stays the judge of where playback is; each heartbeat swaps in its figures.
(function () {
  "use strict";

  function clock(total) {
    var hours = Math.floor(total / 3600);
    var minutes = Math.floor((total % 3600) / 60);
    var seconds = total % 60;
    var mm = hours ? String(minutes).padStart(2, "0") : String(minutes);
    return (hours ? hours + ":" : "") + mm + ":" + String(seconds).padStart(2, "0");
  }

  window.setInterval(function () {
    document.querySelectorAll("progress[data-playing]").forEach(function (bar) {
      var value = Math.min(Number(bar.value) + 1, Number(bar.max));
      bar.value = value;
      var status = bar.closest(".player-status");
      var label = status && status.querySelector("[data-clock]");
      if (label) {
        label.textContent = clock(value);
      }
    });
  }, 1000);
})();
