// Half stars saved with one click. The rating form is ten radio buttons and a "Save rating"
// button, and works without this script; here a star picked with the mouse or a finger sends
// the form at once. The keyboard moves through the stars as a radio group does, without
// sending anything, and "Save rating" saves the one chosen.
(function () {
  "use strict";

  document.querySelectorAll("form[data-rate-on-pick]").forEach(function (form) {
    var pointing = false;
    form.addEventListener("pointerdown", function () {
      pointing = true;
    });
    form.addEventListener("keydown", function () {
      pointing = false;
    });
    form.addEventListener("change", function (event) {
      if (pointing && event.target.name === "stars") {
        form.requestSubmit();
      }
    });
  });
})();
