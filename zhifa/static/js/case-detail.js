// The case workspace (cases/case_detail.html).
//
// Show the recording fields once an audio or video file is chosen — also for a file chosen
// before this script ran (a page still loading, or one the browser restored on going back).
(function () {
  "use strict";
  document.querySelectorAll("input[data-av-toggle]").forEach(function (input) {
    function toggle() {
      var av = Array.prototype.some.call(input.files, function (f) {
        return /^(audio|video)\//.test(f.type);
      });
      var box = document.getElementById(input.dataset.avToggle);
      if (box) { box.hidden = !av && !box.querySelector(".has-error"); }
    }
    input.addEventListener("change", toggle);
    if (input.files && input.files.length) { toggle(); }
  });
})();
