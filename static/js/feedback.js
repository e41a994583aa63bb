// A failed htmx request never ends in silence: an expired page (CSRF, signed out) asks for a
// reload, a server error or a lost connection says so, in the page's alert region.
(function () {
  "use strict";

  function show(text, withReload) {
    var region = document.getElementById("request-error");
    if (!region) return;
    region.textContent = "";
    var p = document.createElement("p");
    p.className = "message message-error";
    p.textContent = text + " ";
    if (withReload) {
      var link = document.createElement("a");
      link.href = window.location.href;
      link.textContent = "Reload";
      p.appendChild(link);
    }
    region.appendChild(p);
  }

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (status === 403 || status === 401 || status === 419) {
      show("This page is out of date — reload it.", true);
    } else if (status === 404 || status === 410) {
      show("That is no longer there — reload the page to see what is.", true);
    } else if (status === 400 || status === 409 || status === 422) {
      show("That didn't work. Reload the page and try again.", true);
    } else if (status === 429) {
      show("Too many tries. Wait a few minutes, then try again.", false);
    } else {
      show("Something went wrong on our side (error " + status + "). Try again in a moment.", true);
    }
  });

  document.addEventListener("htmx:sendError", function () {
    show("StreamGuard could not be reached. Check your connection and try again.", true);
  });

  document.addEventListener("htmx:beforeRequest", function () {
    var region = document.getElementById("request-error");
    if (region) region.textContent = "";
  });
})();
