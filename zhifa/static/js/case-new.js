// The new-case form (cases/case_new.html).
//
// The power items (权责清单事项) are grouped by category; only the group that fits the chosen
// kind of case is offered (行政处罚 for a penalty case, 行政检查 for an inspection, 行政强制 for
// a seizure). The server refuses a mismatch beside the field either way.
(function () {
  "use strict";
  var select = document.querySelector("select[data-kind-categories]");
  var kind = select && select.form ? select.form.elements.namedItem("kind") : null;
  if (!select || !kind) { return; }
  var categories = JSON.parse(select.dataset.kindCategories || "{}");
  function filter() {
    var wanted = categories[kind.value];
    Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
      var fits = !wanted || group.label === wanted;
      group.hidden = !fits;
      group.disabled = !fits;
      if (!fits && group.contains(select.selectedOptions[0] || null)) { select.value = ""; }
    });
  }
  kind.addEventListener("change", filter);
  filter();
})();
