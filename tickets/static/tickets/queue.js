/* Keyboard shortcuts on the queue: j/k move, Enter opens, r replies, e closes, a assigns to me.
   Keys typed into a field (search box, action select) are left alone; no key works with Ctrl, Alt or Meta. */
(function () {
  "use strict";

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("#result_list tbody tr"));
  }

  function link(row) {
    return row && row.querySelector("th a, td a");
  }

  function ticketId(row) {
    var box = row && row.querySelector("input.action-select");
    return box ? box.value : null;
  }

  var current = null;

  function select(row, focus) {
    if (!row) { return; }
    if (current) { current.classList.remove("kyc-current"); }
    current = row;
    row.classList.add("kyc-current");
    if (focus && link(row)) { link(row).focus(); }
    row.scrollIntoView({block: "nearest"});
  }

  function move(step) {
    var all = rows();
    var index = all.indexOf(current);
    select(all[Math.min(Math.max(index + step, 0), all.length - 1)], true);
  }

  function runAction(name) {
    var id = ticketId(current);
    var form = document.getElementById("changelist-form");
    var chooser = form && form.querySelector("select[name=action]");
    if (!id || !chooser || !chooser.querySelector("option[value='" + name + "']")) { return; }
    rows().forEach(function (row) {
      var box = row.querySelector("input.action-select");
      if (box) { box.checked = (row === current); }
    });
    chooser.value = name;
    var go = form.querySelector("button[name=index]");
    if (go) { go.click(); } else { form.submit(); }
  }

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(target.tagName));
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    if (!current) { return; }
    var hint = document.getElementById("kyc-shortcuts");
    switch (event.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "Enter":
        if (event.target.tagName === "A") { return; }  // a focused link opens itself
        if (link(current)) { window.location.href = link(current).href; }
        break;
      case "r":
        if (hint && ticketId(current)) {
          window.location.href = hint.dataset.replyUrl.replace("/0/", "/" + ticketId(current) + "/");
        }
        break;
      case "e": runAction("close_tickets"); break;
      case "a": runAction("assign_to_me"); break;
      default: return;
    }
    event.preventDefault();
  });

  document.addEventListener("DOMContentLoaded", function () {
    select(rows()[0], false);
    rows().forEach(function (row) {
      row.addEventListener("click", function () { select(row, false); });
    });
    var skip = document.querySelector(".kyc-skip-to-ticket");
    if (skip) {
      skip.addEventListener("click", function (event) {
        if (!current) { return; }
        event.preventDefault();
        select(current, true);
      });
    }
  });
})();
