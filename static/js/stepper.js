// − and + beside each number of the headcount form. Without JavaScript the fields are plain
// number inputs with the phone's digit keypad; nothing here is needed to send the form.
(function () {
  "use strict";
  function step(input, by) {
    var value = parseInt(input.value, 10);
    if (isNaN(value)) value = 0;
    input.value = Math.max(0, value + by);
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }
  function button(text, label, input, by) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "stepper__button";
    b.textContent = text;
    var name = input.labels.length ? input.labels[0].textContent.trim() : "";
    b.setAttribute("aria-label", name + "：" + label);
    b.addEventListener("click", function () { step(input, by); });
    return b;
  }
  document.querySelectorAll(".stepper").forEach(function (stepper) {
    var input = stepper.querySelector("input");
    if (!input) return;
    var form = stepper.closest("form");
    stepper.insertBefore(button("−", form.dataset.less || "−1", input, -1), input);
    stepper.appendChild(button("+", form.dataset.more || "+1", input, 1));
  });
})();
