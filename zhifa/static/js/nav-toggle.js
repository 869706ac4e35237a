// The staff menu on a phone (templates/_topbar.html): folded behind the 菜单 button, which
// opens and closes it; Escape closes it and returns to the button. Without this script the
// button stays hidden (css: .nav-toggle) and the menu open. On a wide screen the CSS shows the
// menu whatever the button's state.
(function () {
  "use strict";
  var button = document.querySelector(".topbar .nav-toggle");
  if (!button) { return; }
  var header = button.closest(".topbar");
  var menu = document.getElementById(button.getAttribute("aria-controls"));
  if (!header || !menu) { return; }

  function set(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    header.classList.toggle("nav-closed", !open);
  }

  header.classList.add("has-nav-toggle");
  set(false);
  button.addEventListener("click", function () {
    set(button.getAttribute("aria-expanded") !== "true");
  });
  menu.addEventListener("keydown", function (event) {
    var shown = button.offsetParent !== null; // the button is there only on a narrow screen
    if (event.key === "Escape" && shown && button.getAttribute("aria-expanded") === "true") {
      set(false);
      button.focus();
    }
  });
})();
