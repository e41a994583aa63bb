// A failed htmx request never ends in silence: an expired page (CSRF, signed out) asks for a
// reload, a server error or a lost connection says so, in the page's alert region.
// The words come translated from the region's data-* attributes (templates/base.html).
(function () {
  "use strict";

  var ENGLISH = {
    reload: "Reload",
    outOfDate: "This page is out of date — reload it.",
    gone: "That is no longer there — reload the page to see what is.",
    refused: "That didn't work. Reload the page and try again.",
    tooMany: "Too many tries. Wait a few minutes, then try again.",
    serverError: "Something went wrong on our side (error %(status)s). Try again in a moment.",
    unreachable: "StreamGuard could not be reached. Check your connection and try again.",
  };

  function words(key) {
    var region = document.getElementById("request-error");
    return (region && region.dataset[key]) || ENGLISH[key];
  }

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
      link.textContent = words("reload");
      p.appendChild(link);
    }
    region.appendChild(p);
  }

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (status === 403 || status === 401 || status === 419) {
      show(words("outOfDate"), true);
    } else if (status === 404 || status === 410) {
      show(words("gone"), true);
    } else if (status === 400 || status === 409 || status === 422) {
      show(words("refused"), true);
    } else if (status === 429) {
      show(words("tooMany"), false);
    } else {
      show(words("serverError").replace("%(status)s", String(status)), true);
    }
  });

  document.addEventListener("htmx:sendError", function () {
    show(words("unreachable"), true);
  });

  document.addEventListener("htmx:beforeRequest", function () {
    var region = document.getElementById("request-error");
    if (region) region.textContent = "";
  });
})();
