// Print button: shows the buttons marked data-print, which print the page
// with the print stylesheet (no menus, no footer, links written out).
(function () {
  if (!window.print) return;
  document.querySelectorAll("button[data-print]").forEach(function (b) {
    b.addEventListener("click", function () { window.print(); });
    b.hidden = false;
  });
})();
