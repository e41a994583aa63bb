// The on-screen PIN pad: digits by click, remote (arrows + Enter) or keyboard; it submits at 4.
(function () {
  "use strict";
  document.querySelectorAll("[data-pin-pad]").forEach(function (form) {
    var input = form.querySelector("input[name=pin]");
    form.addEventListener("click", function (event) {
      var key = event.target.closest("[data-digit], [data-pin-clear]");
      if (!key) return;
      if (key.hasAttribute("data-pin-clear")) { input.value = ""; return; }
      if (input.value.length < 4) input.value += key.getAttribute("data-digit");
      if (input.value.length === 4) form.requestSubmit();
    });
    input.addEventListener("input", function () {
      input.value = input.value.replace(/\D/g, "").slice(0, 4);
      if (input.value.length === 4) form.requestSubmit();
    });
  });
})();
