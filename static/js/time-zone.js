// Suggest the browser's own time zone on the "Time zone" page; the choice stays the person's.
(function () {
  "use strict";
  var hint = document.querySelector("[data-browser-zone]");
  var select = document.querySelector("select[name=time_zone]");
  if (!hint || !select || !window.Intl) return;
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  var known = Array.prototype.some.call(select.options, function (o) { return o.value === zone; });
  if (!zone || !known || select.value === zone) return;
  hint.querySelector("[data-browser-zone-name]").textContent = zone;
  hint.hidden = false;
  hint.querySelector("[data-use-browser-zone]").addEventListener("click", function () {
    select.value = zone;
    select.focus();
    hint.hidden = true;
  });
})();
