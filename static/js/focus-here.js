// After an htmx swap, what was just done is said where the person is: the swapped-in element
// marked data-focus-here (a note in the place of the card acted on) takes the focus, which
// also has screen readers read it, and is scrolled into the middle of the screen.
(function () {
  "use strict";

  document.addEventListener("htmx:afterSettle", function (event) {
    var root = event.detail && event.detail.elt ? event.detail.elt : document;
    var here = root.matches && root.matches("[data-focus-here]")
      ? root
      : root.querySelector("[data-focus-here]");
    if (!here) here = document.querySelector("[data-focus-here]");
    if (!here) return;
    here.removeAttribute("data-focus-here");
    here.focus({ preventScroll: true });
    here.scrollIntoView({ block: "center" });
  });
})();
