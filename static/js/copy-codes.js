// "Copy" on the recovery codes: every code, one a line, onto the clipboard. The button is
// hidden in the page and shown here, so without JavaScript (or a clipboard) nothing offers
// a button that does nothing: the codes stay there to select, and "Download" works.
(function () {
  "use strict";

  var button = document.getElementById("copy-codes");
  var list = document.getElementById("recovery-codes");
  var said = document.getElementById("copy-said");
  if (!button || !list || !navigator.clipboard) return;

  button.hidden = false;
  button.addEventListener("click", function () {
    var codes = Array.prototype.map.call(list.querySelectorAll("code"), function (code) {
      return code.textContent;
    });
    navigator.clipboard.writeText(codes.join("\n") + "\n").then(
      function () {
        if (said) said.textContent = button.dataset.copied;
      },
      function () {
        if (said) said.textContent = button.dataset.failed;
      }
    );
  });
})();
