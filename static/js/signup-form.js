// The application form, made quicker where JavaScript runs; without it everything still works
// (「お子さんを追加」 then sends the form back with one more row).
// - The error summary (GOV.UK pattern) takes the focus, so a screen reader reads what is wrong
//   and the page shows it; each of its links moves the focus to its field, label in view.
// - 「お子さんを追加」 adds a child's row on the page, without sending the form.
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) return;
      var field = document.getElementById(link.getAttribute("href").slice(1));
      if (!field) return;
      event.preventDefault();
      var details = field.closest("details");
      if (details) details.open = true;
      var legend = field.closest("fieldset") && field.closest("fieldset").querySelector("legend");
      var label = (field.labels && field.labels[0]) || legend || field;
      label.scrollIntoView();
      field.focus({ preventScroll: true });
    });
  }

  var rows = document.querySelector(".child-rows");
  var add = rows && rows.querySelector(".add-child");
  if (!add) return;
  add.addEventListener("click", function (event) {
    event.preventDefault();
    var all = rows.querySelectorAll(".child-row");
    var last = all[all.length - 1];
    var number = all.length + 1;
    var row = last.cloneNode(true);
    row.classList.remove("field--error");
    row.querySelectorAll(".errorlist").forEach(function (e) { e.remove(); });
    var select = row.querySelector("select");
    var label = row.querySelector("label");
    select.name = "child_age_" + number;
    select.id = "id_child_age_" + number;
    select.removeAttribute("aria-invalid");
    select.removeAttribute("aria-describedby");
    select.value = "";
    label.htmlFor = select.id;
    label.textContent = label.textContent.replace(/\d+/, String(number));
    last.after(row);
    select.focus();
    if (number >= parseInt(rows.dataset.max, 10)) add.hidden = true;
  });
})();
