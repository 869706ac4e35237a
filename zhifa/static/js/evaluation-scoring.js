// The scoring screen's live total (案卷评查): recomputes the deductions, each section's score
// ("扣完为止，不计负分"), the vetoes and the grade as the reviewer types. The server scores again
// on save and sign (zhifa.evaluation.scoring); this is only what the reviewer sees meanwhile.
(function () {
  "use strict";
  function num(value) {
    var n = parseFloat(value);
    return isFinite(n) ? n : 0;
  }
  function deduction(item) {
    var occInput = item.querySelector(".eval-occ");
    var occ = occInput ? Math.max(0, Math.floor(num(occInput.value))) : 0;
    if (occ === 0) return 0;
    var kind = item.dataset.kind;
    var max = num(item.dataset.max);
    var out;
    if (kind === "fixed") {
      out = num(item.dataset.points);
    } else if (kind === "per_occurrence") {
      var cap = item.dataset.cap === "" ? max : num(item.dataset.cap);
      out = Math.min(num(item.dataset.points) * occ, cap);
    } else {
      var ded = item.querySelector(".eval-ded");
      out = ded ? num(ded.value) : 0;
    }
    return Math.min(out, max);
  }
  function grade(total, bands) {
    for (var i = 0; i < bands.length; i++) {
      if (total >= bands[i][0]) return bands[i][1];
    }
    return bands.length ? bands[bands.length - 1][1] : "";
  }
  function recompute(form) {
    var total = 0;
    form.querySelectorAll(".eval-section").forEach(function (section) {
      var taken = 0;
      section.querySelectorAll(".eval-item").forEach(function (item) {
        var d = deduction(item);
        taken += d;
        var out = item.querySelector(".eval-deduction");
        if (out) out.textContent = "−" + (Math.round(d * 100) / 100);
      });
      total += Math.max(0, num(section.dataset.max) - taken);
    });
    var vetoed = false;
    form.querySelectorAll(".eval-veto-hit").forEach(function (box) {
      if (box.checked) vetoed = true;
    });
    var bands = (form.dataset.bands || "").split(";").filter(Boolean).map(function (b) {
      var parts = b.split(":");
      return [num(parts[0]), parts.slice(1).join(":")];
    });
    bands.sort(function (a, b) { return b[0] - a[0]; });
    if (vetoed && form.dataset.vetoEffect === "zero") total = 0;
    total = Math.round(total * 100) / 100;
    var g = vetoed && bands.length ? bands[bands.length - 1][1] : grade(total, bands);
    var totalOut = document.getElementById("eval-live-total");
    var gradeOut = document.getElementById("eval-live-grade");
    if (totalOut) totalOut.textContent = total.toFixed(2);
    if (gradeOut) gradeOut.textContent = g + (vetoed ? "（否决）" : "");
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.eval-form").forEach(function (form) {
      form.addEventListener("input", function () { recompute(form); });
      form.addEventListener("change", function () { recompute(form); });
      recompute(form);
    });
  });
})();
