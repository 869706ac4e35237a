// The public complaint form's agency field (complaints/public.html).
//
// A province lists thousands of enforcement bodies: typing part of a name asks
// /api/v1/public/agencies and fills the drop-down below with the matches. Without script the
// 查找 button asks the server for the same list.
(function () {
  "use strict";
  function init() {
    var form = document.querySelector("form[data-agency-lookup]");
    if (!form) return;
    var input = form.querySelector("[data-agency-search]");
    var select = form.querySelector('select[name="agency"]');
    var status = document.getElementById("agency-search-status");
    if (!input || !select) return;
    var url = form.getAttribute("data-agency-lookup");
    var timer = null;
    var asked = 0;
    // Messages come translated from the page (data-msg-*), with {q} and {n} to fill.
    function msg(name, values) {
      var text = form.getAttribute("data-msg-" + name) || "";
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
      if (!data.results.length) {
        first.textContent = msg("none", { q: q });
      } else if (data.more) {
        first.textContent = msg("more", { n: data.results.length });
      } else {
        first.textContent = msg("some", { n: data.results.length });
      }
      select.appendChild(first);
      var keptListed = false;
      data.results.forEach(function (a) {
        var o = document.createElement("option");
        o.value = String(a.id);
        o.textContent = a.name;
        if (o.value === kept) keptListed = true;
        select.appendChild(o);
      });
      if (kept && !keptListed) {
        var k = document.createElement("option");
        k.value = kept;
        k.textContent = keptText;
        select.insertBefore(k, first.nextSibling);
      }
      select.value = kept || (data.results.length === 1 ? String(data.results[0].id) : "");
      if (status) {
        status.textContent = data.results.length
          ? msg(data.more ? "found-more" : "found", { n: data.results.length })
          : msg("empty");
      }
    }

    function lookup() {
      var q = input.value.trim();
      if (!q) return;
      var n = ++asked;
      fetch(url + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
        .then(function (r) {
          return r.ok ? r.json() : null;
        })
        .then(function (data) {
          if (data && n === asked) fill(q, data);
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
      // Enter in the search box looks up instead of submitting the complaint.
      if (e.key === "Enter") {
        e.preventDefault();
        clearTimeout(timer);
        lookup();
      }
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
