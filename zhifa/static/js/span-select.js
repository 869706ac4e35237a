// The publisher's review page (publicity/review.html).
//
// Selecting text in the original fills the span form with its offsets (in characters).
(function () {
  "use strict";
  document.addEventListener("mouseup", function () {
    var root = document.getElementById("original");
    var sel = window.getSelection();
    if (!root || !sel || !sel.rangeCount || sel.isCollapsed) return;
    var range = sel.getRangeAt(0);
    if (!root.contains(range.startContainer) || !root.contains(range.endContainer)) return;
    function offset(node, off) {
      var r = document.createRange();
      r.setStart(root, 0);
      r.setEnd(node, off);
      return Array.from(r.toString()).length;
    }
    var start = offset(range.startContainer, range.startOffset);
    var end = offset(range.endContainer, range.endOffset);
    if (end <= start) return;
    document.getElementById("span-start").value = start;
    document.getElementById("span-end").value = end;
    document.getElementById("span-selected").textContent = "“" + range.toString() + "”";
  });
})();
