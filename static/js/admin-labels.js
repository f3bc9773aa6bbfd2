/* Names for Wagtail's rich text boxes (Draftail), which screen readers otherwise announce as an
   unnamed "text box" (axe-core: aria-input-field-name; issue 27). Each box takes the name of its
   field's label, or, inside a StreamField block, of the block's heading. Boxes added later (a new
   block, an action item) are named as they appear. */
(function () {
  "use strict";
  var counter = 0;

  function labelFor(box) {
    var field = box.closest(".w-field, [data-field-wrapper]");
    var label = field && field.querySelector("label, .w-field__label");
    if (label && label.textContent.trim()) return label;
    var panel = box.closest("[data-panel], .w-panel, [data-streamfield-child]");
    var heading = panel && panel.querySelector(".w-panel__heading, [data-panel-heading], h2, h3");
    return heading && heading.textContent.trim() ? heading : null;
  }

  function name(root) {
    var boxes = root.querySelectorAll('[role="textbox"][contenteditable="true"]');
    boxes.forEach(function (box) {
      if (box.hasAttribute("aria-label") || box.hasAttribute("aria-labelledby")) return;
      var label = labelFor(box);
      if (!label) return;
      if (!label.id) {
        counter += 1;
        label.id = "tsunagu-richtext-label-" + counter;
      }
      box.setAttribute("aria-labelledby", label.id);
    });
  }

  function start() {
    name(document);
    new MutationObserver(function () {
      name(document);
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
