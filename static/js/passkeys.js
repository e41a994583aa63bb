// Passkeys: runs the browser's WebAuthn dialog for the form marked data-passkey="register"
// and the links inside an element marked data-passkey="sign-in". The server's begin/complete
// endpoints (data-begin, data-complete) make and check the challenge; without JavaScript the
// form and the link lead to a page that says so. Its words come translated from the element's
// data-* attributes (templates/mfa/passkey_add.html and passkey_sign_in.html).
(function () {
  "use strict";

  const ENGLISH = {
    failed: "Something went wrong. Try again.",
    notUsed: "The passkey was not used. Try again.",
    unsupported: "This browser cannot use passkeys.",
  };

  function words(box, key) {
    return box.dataset[key] || ENGLISH[key];
  }

  function toBuffer(text) {
    const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0)).buffer;
  }

  function toText(buffer) {
    let binary = "";
    for (const byte of new Uint8Array(buffer)) binary += String.fromCharCode(byte);
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function withIds(list) {
    return (list || []).map((item) => ({ ...item, id: toBuffer(item.id) }));
  }

  async function post(box, url, body) {
    const token = document.querySelector("[name=csrfmiddlewaretoken]").value;
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify(body || {}),
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.detail || words(box, "failed"));
    return data;
  }

  async function register(form) {
    const name = form.querySelector("[name=name]");
    const signOut = form.querySelector("[name=sign_out_others]");
    const options = await post(form, form.dataset.begin, {
      name: name ? name.value : "",
      sign_out_others: signOut ? signOut.checked : false,
    });
    const credential = await navigator.credentials.create({
      publicKey: {
        ...options,
        challenge: toBuffer(options.challenge),
        user: { ...options.user, id: toBuffer(options.user.id) },
        excludeCredentials: withIds(options.excludeCredentials),
      },
    });
    const answer = credential.response;
    return post(form, form.dataset.complete, {
      id: credential.id,
      rawId: toText(credential.rawId),
      type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: {
        clientDataJSON: toText(answer.clientDataJSON),
        attestationObject: toText(answer.attestationObject),
        transports: answer.getTransports ? answer.getTransports() : [],
      },
    });
  }

  async function signIn(form) {
    const options = await post(form, form.dataset.begin);
    const credential = await navigator.credentials.get({
      publicKey: {
        ...options,
        challenge: toBuffer(options.challenge),
        allowCredentials: withIds(options.allowCredentials),
      },
    });
    const answer = credential.response;
    return post(form, form.dataset.complete, {
      id: credential.id,
      rawId: toText(credential.rawId),
      type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: {
        clientDataJSON: toText(answer.clientDataJSON),
        authenticatorData: toText(answer.authenticatorData),
        signature: toText(answer.signature),
        userHandle: answer.userHandle ? toText(answer.userHandle) : null,
      },
    });
  }

  function say(form, text) {
    const status = form.querySelector("[data-passkey-status]");
    if (status) status.textContent = text;
  }

  async function run(box, control, ceremony) {
    control.setAttribute("aria-disabled", "true");
    say(box, "");
    try {
      const done = await ceremony(box);
      window.location.assign(done.redirect_url || "/");
    } catch (error) {
      const cancelled = error && (error.name === "NotAllowedError" || error.name === "AbortError");
      say(box, cancelled ? words(box, "notUsed") : error.message);
      control.removeAttribute("aria-disabled");
    }
  }

  document.querySelectorAll("[data-passkey]").forEach((box) => {
    if (box.dataset.wired) return;  // the script may be included more than once on a page
    box.dataset.wired = "1";
    if (!window.PublicKeyCredential) {
      say(box, words(box, "unsupported"));
      return;
    }
    if (box.dataset.passkey === "register") {
      box.addEventListener("submit", (event) => {
        event.preventDefault();
        run(box, box.querySelector("button[type=submit]"), register);
      });
    } else {
      const link = box.querySelector("[data-passkey-start]");
      link.addEventListener("click", (event) => {
        event.preventDefault();
        if (link.getAttribute("aria-disabled") !== "true") run(box, link, signIn);
      });
    }
  });
})();
