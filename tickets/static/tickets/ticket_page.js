/* The ticket page and the composer: suggestions and templates into the editor, the preview lightbox, presence.
   Plain script, no library: the page works without it (the full editor, links to the previews). */
(function () {
  "use strict";

  function insertText(body, text) {
    if (!body.value.trim()) { body.value = text; return; }
    var start = body.selectionStart, end = body.selectionEnd;
    body.value = body.value.slice(0, start) + text + body.value.slice(end);
    body.selectionStart = body.selectionEnd = start + text.length;
  }

  function composer(form) {
    var subject = form.querySelector(".kyc-reply-subject");
    var body = form.querySelector(".kyc-reply-body");
    form.querySelectorAll("button.kyc-suggestion").forEach(function (button) {
      button.addEventListener("click", function () {
        subject.value = button.dataset.subject;
        body.value = button.dataset.body;  // a suggestion is a starting point: it replaces the draft
        body.focus();
        body.setSelectionRange(0, 0);
        body.scrollTop = 0;
        markReplying();
      });
    });
    var templates = [];
    var data = document.getElementById("kyc-templates");
    if (data) { templates = JSON.parse(data.textContent); }
    var search = form.querySelector(".kyc-template-input");
    var insert = form.querySelector(".kyc-template-insert");
    function chosen() {
      var wanted = (search.value || "").trim().toLowerCase();
      if (!wanted) { return null; }
      return templates.find(function (t) { return t.name.toLowerCase() === wanted; }) ||
        templates.find(function (t) { return t.name.toLowerCase().indexOf(wanted) >= 0; }) || null;
    }
    function use() {
      var template = chosen();
      if (!template) {
        search.setCustomValidity(search.dataset.none || "");
        search.reportValidity();
        return;
      }
      search.setCustomValidity("");
      if (!subject.value.trim()) { subject.value = template.subject; }
      insertText(body, template.body);
      search.value = "";
      body.focus();
      markReplying();
    }
    if (search && insert) {
      insert.addEventListener("click", use);
      search.addEventListener("input", function () { search.setCustomValidity(""); });
      search.addEventListener("keydown", function (event) {
        if (event.key === "Enter") { event.preventDefault(); use(); }
      });
    }
    body.addEventListener("input", markReplying);
    body.addEventListener("focus", markReplying);
  }

  function lightbox() {
    var dialog = document.getElementById("kyc-lightbox");
    if (!dialog || typeof dialog.showModal !== "function") { return; }
    var image = dialog.querySelector("img"), caption = dialog.querySelector(".kyc-lightbox-caption");
    document.querySelectorAll("a.kyc-lightbox-link").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        image.src = link.href;
        image.alt = link.querySelector("img").alt;
        caption.textContent = link.dataset.caption || "";
        dialog.showModal();
      });
    });
    dialog.addEventListener("click", function (event) { if (event.target === dialog) { dialog.close(); } });
  }

  // presence: "viewing" while the page is open, "replying" for a while after the agent typed in the composer
  var replyingUntil = 0, box = null;
  function markReplying() {
    var wasIdle = Date.now() > replyingUntil;
    replyingUntil = Date.now() + 30000;
    if (wasIdle) { report(); }
  }
  function token() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function report(state) {
    if (!box || !box.dataset.url) { return; }
    var body = new URLSearchParams();
    body.set("state", state || (Date.now() < replyingUntil ? "replying" : "viewing"));
    fetch(box.dataset.url, {method: "POST", body: body, credentials: "same-origin",
                            headers: {"X-CSRFToken": token()}, keepalive: state === "left"})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        box.replaceChildren.apply(box, data.others.map(function (other) {
          var span = document.createElement("span");
          span.className = "kyc-presence-" + other.state;
          span.textContent = other.text;
          return span;
        }));
      })
      .catch(function () { /* presence is a courtesy: a failed refresh is tried again on the next tick */ });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.kyc-composer").forEach(composer);
    lightbox();
    box = document.getElementById("kyc-presence");
    if (box && box.dataset.url) {
      report();
      setInterval(report, parseInt(box.dataset.refresh, 10) || 15000);
      window.addEventListener("pagehide", function () { report("left"); });
    }
  });
})();
