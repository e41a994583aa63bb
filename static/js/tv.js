// StreamGuard TV client: remote-control navigation (arrows, Enter, Back), dialogs,
// the hidden sign-out sequence, the code countdown. Everything works by keyboard alone.
(function () {
  "use strict";

  var FOCUSABLE = "a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select, [tabindex='0']";
  var SEQUENCE = ["ArrowUp", "ArrowUp", "ArrowDown", "ArrowDown", "ArrowLeft", "ArrowRight",
                  "ArrowLeft", "ArrowRight", "ArrowUp", "ArrowUp", "ArrowUp", "ArrowUp"];
  var recent = [];

  function scope() {
    var open = document.querySelector("dialog[open]");
    return open || document;
  }

  function visible(el) {
    var r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  }

  function focusables() {
    return Array.prototype.filter.call(scope().querySelectorAll(FOCUSABLE), visible);
  }

  function inMenu(el) {
    return Boolean(el && el.closest && el.closest(".tv-menu"));
  }

  // Into the menu from the page, focus lands on the page's own item (then the first), not
  // on whichever item happens to sit nearest the poster (once "Settings").
  function menuEntry() {
    return document.querySelector(".tv-menu [aria-current='page']") ||
      document.querySelector(".tv-menu .tv-menu-item");
  }

  // Move focus to the nearest control in the pressed direction (spatial navigation).
  function move(direction) {
    var items = focusables();
    if (!items.length) return;
    var current = document.activeElement;
    if (!current || items.indexOf(current) === -1) { items[0].focus(); return; }
    // Up and Down walk the menu's own list and stop at its ends: they never leave it.
    var vertical = direction === "ArrowUp" || direction === "ArrowDown";
    if (vertical && inMenu(current)) items = items.filter(inMenu);
    var from = current.getBoundingClientRect();
    var cx = from.left + from.width / 2, cy = from.top + from.height / 2;
    var best = null, bestScore = Infinity;
    items.forEach(function (el) {
      if (el === current) return;
      var r = el.getBoundingClientRect();
      var x = r.left + r.width / 2, y = r.top + r.height / 2;
      var dx = x - cx, dy = y - cy;
      var along, across;
      if (direction === "ArrowRight") { along = dx; across = dy; }
      else if (direction === "ArrowLeft") { along = -dx; across = dy; }
      else if (direction === "ArrowDown") { along = dy; across = dx; }
      else { along = -dy; across = dx; }
      if (along <= 1) return;
      var score = along + Math.abs(across) * 2;
      if (score < bestScore) { bestScore = score; best = el; }
    });
    if (best && inMenu(best) && !inMenu(current)) best = menuEntry() || best;
    if (best) { best.focus(); best.scrollIntoView({ block: "nearest", inline: "nearest" }); }
  }

  function openDialog(id) {
    var dialog = document.getElementById(id);
    if (!dialog) return;
    var open = document.querySelector("dialog[open]");
    if (open && open !== dialog) open.close();
    if (!dialog.open) dialog.showModal();
    var first = dialog.querySelector("[data-initial-focus]") || dialog.querySelector(FOCUSABLE);
    if (first) first.focus();
  }

  function back() {
    var open = document.querySelector("dialog[open]");
    if (open) { open.close(); return; }
    if (window.history.length > 1 && document.body.dataset.root !== "true") window.history.back();
  }

  document.addEventListener("keydown", function (event) {
    var key = event.key;
    if (key.indexOf("Arrow") === 0) {
      recent.push(key);
      if (recent.length > SEQUENCE.length) recent.shift();
      if (recent.join() === SEQUENCE.join() && document.getElementById("tv-sign-out")) {
        recent = [];
        event.preventDefault();
        openDialog("tv-sign-out");
        return;
      }
      var typing = event.target.matches && event.target.matches("input[type=text], input[type=search], input[type=password]");
      if (typing && (key === "ArrowLeft" || key === "ArrowRight")) return;
      event.preventDefault();
      move(key);
    } else if (key === "Escape" || key === "Backspace" || key === "BrowserBack" || key === "GoBack") {
      var inField = event.target.matches && event.target.matches("input, textarea");
      if (key === "Backspace" && inField) return;
      event.preventDefault();
      back();
    }
  });

  document.addEventListener("click", function (event) {
    var opener = event.target.closest("[data-open-dialog]");
    // A link opener is the page without JavaScript; with it, the dialog opens in place.
    if (opener) { event.preventDefault(); openDialog(opener.getAttribute("data-open-dialog")); return; }
    var closer = event.target.closest("[data-close-dialog]");
    if (closer) { var d = closer.closest("dialog"); if (d) d.close(); }
  });

  // The code countdown; when a poll says the code is over, load a new one.
  function tick() {
    document.querySelectorAll("time[data-expires]").forEach(function (el) {
      var left = Math.max(0, Number(el.getAttribute("data-expires")) - Date.now() / 1000);
      var m = Math.floor(left / 60), s = Math.floor(left % 60);
      el.textContent = m + ":" + (s < 10 ? "0" : "") + s;
      if (left <= 0 && !el.dataset.reloading) { el.dataset.reloading = "1"; window.location.reload(); }
    });
  }
  setInterval(tick, 1000);
  document.addEventListener("DOMContentLoaded", function () {
    tick();
    // Browse starts on the first title, not the search box; other screens on their first control.
    var first = document.querySelector("main [data-initial-focus], main .title-card") ||
      document.querySelector("main " + FOCUSABLE.split(",").join(", main "));
    if (first && !document.activeElement.matches("input")) first.focus();
  });
  document.addEventListener("htmx:afterSwap", function () {
    var reload = document.querySelector("[data-reload]");
    if (reload) setTimeout(function () { window.location.reload(); }, Number(reload.getAttribute("data-reload")));
  });
})();
