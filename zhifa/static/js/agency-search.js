// Choosing an enforcement body by typing part of its name (registry/_agency_lookup.html).
//
// A province lists thousands of bodies: typing in the search box asks /api/v1/public/agencies
// and fills the drop-down below it with the matches. Without script the 查找 button asks the
// server for the same list. Messages come translated from the page (data-msg-*).
(function () {
  "use strict";

  function attach(box) {
    var input = box.querySelector("[data-agency-search]");
    var select = box.querySelector("select");
    var status = box.querySelector(".agency-search-status");
    if (!input || !select) return;
    var url = box.getAttribute("data-agency-lookup");
    var timer = null;
    var asked = 0;

    function msg(name, values) {
      var text = box.getAttribute("data-msg-" + name) || "";
      Object.keys(values || {}).forEach(function (k) {
        text = text.split("{" + k + "}").join(String(values[k]));
      });
      return text;
    }

    function fill(q, data) {
      var kept = select.value;
      var keptText = kept ? select.options[select.selectedIndex].text : "";
      select.textContent = "";
      var first = document.createElement("option");
      first.value = "";
      var n = data.results.length;
      first.textContent = !n ? msg("none", { q: q }) : msg(data.more ? "more" : "some", { n: n });
      select.appendChild(first);
      var keptListed = false;
      data.results.forEach(function (a) {
        var o = document.createElement("option");
        o.value = String(a.id);
        o.textContent = a.label || a.name; // a supervisor's lookup marks suspended bodies
        if (o.value === kept) keptListed = true;
        select.appendChild(o);
      });
      if (kept && !keptListed) {
        var k = document.createElement("option");
        k.value = kept;
        k.textContent = keptText;
        select.insertBefore(k, first.nextSibling);
      }
      select.value = kept || (n === 1 ? String(data.results[0].id) : "");
      if (status) {
        status.textContent = n ? msg(data.more ? "found-more" : "found", { n: n }) : msg("empty");
      }
    }

    function lookup() {
      var q = input.value.trim();
      if (!q) return;
      var mine = ++asked;
      fetch(url + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
        .then(function (r) {
          return r.ok ? r.json() : null;
        })
        .then(function (data) {
          if (data && mine === asked) fill(q, data);
        })
        .catch(function () {
          if (status) status.textContent = msg("failed");
        });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(lookup, 250);
    });
    input.addEventListener("keydown", function (e) {
      // Enter in the search box looks up instead of submitting the form.
      if (e.key === "Enter") {
        e.preventDefault();
        clearTimeout(timer);
        lookup();
      }
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-agency-lookup]"), attach);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
