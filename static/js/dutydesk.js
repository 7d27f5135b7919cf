// Confirm before destructive actions: <button data-confirm="…">.
document.addEventListener("click", function (event) {
  const el = event.target.closest("[data-confirm]");
  if (el && !window.confirm(el.dataset.confirm)) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);
// htmx: show server errors instead of failing silently.
document.body.addEventListener("htmx:responseError", function (event) {
  const box = document.getElementById("htmx-error");
  if (box) { box.classList.remove("d-none"); }
});
// A page form (signing a handover, completing a checklist) submitted while htmx saves are still on
// their way waits for them, so a figure typed just before the click is saved before the page moves on.
document.addEventListener("submit", function (event) {
  const form = event.target;
  if (form.hasAttribute("hx-post") || form.dataset.savesAwaited || !document.querySelector(".htmx-request")) {
    return;
  }
  event.preventDefault();
  const submitter = event.submitter;
  const retry = function () {
    if (document.querySelector(".htmx-request")) {
      window.setTimeout(retry, 50);
      return;
    }
    form.dataset.savesAwaited = "1";
    if (form.requestSubmit) { form.requestSubmit(submitter); } else { form.submit(); }
  };
  window.setTimeout(retry, 50);
});
// Print buttons: <button data-print>.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) { window.print(); }
});
// Formsets grow without a round trip: <button data-formset-add="P"> clones <template
// data-formset-empty="P"> (the formset's empty_form) into [data-formset-forms="P"], numbering the
// copy with the management form's P-TOTAL_FORMS. Built from the template's nodes, never from HTML text.
document.addEventListener("click", function (event) {
  const button = event.target.closest("[data-formset-add]");
  if (!button) { return; }
  const prefix = button.dataset.formsetAdd;
  const form = button.closest("form");
  const total = form && form.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
  const max = form && form.querySelector('input[name="' + prefix + '-MAX_NUM_FORMS"]');
  const empty = form && form.querySelector('template[data-formset-empty="' + prefix + '"]');
  const list = form && form.querySelector('[data-formset-forms="' + prefix + '"]');
  if (!total || !empty || !list) { return; }
  const index = parseInt(total.value, 10);
  if (max && index >= parseInt(max.value, 10)) { return; }
  const copy = empty.content.cloneNode(true);
  copy.querySelectorAll("*").forEach(function (el) {
    Array.from(el.attributes).forEach(function (attr) {
      if (attr.value.indexOf("__prefix__") !== -1) {
        el.setAttribute(attr.name, attr.value.split("__prefix__").join(String(index)));
      }
    });
  });
  const first = copy.querySelector("[data-formset-focus]") || copy.querySelector("input:not([type=hidden]), select, textarea");
  list.appendChild(copy);
  total.value = String(index + 1);
  if (first) { first.focus(); }
});
// Lists as cards on phones (table.table-cards in dutydesk.css): every body cell is labelled with
// its column's header, counted through rowspan and colspan; a cell under an empty header (the
// row's buttons) is marked as the card's action. A cell that already carries data-label keeps it.
// Run again after every htmx swap.
function headerText(th) {
  let text = "";
  th.childNodes.forEach(function (node) {
    if (!(node.nodeType === 1 && node.classList.contains("visually-hidden"))) { text += node.textContent; }
  });
  return text.replace(/\s+/g, " ").trim();
}
function labelCardCells(table) {
  const head = table.tHead;
  if (!head || !head.rows.length) { return; }
  const labels = [];
  Array.from(head.rows[head.rows.length - 1].cells).forEach(function (th) {
    for (let i = 0; i < th.colSpan; i++) { labels.push(headerText(th)); }
  });
  Array.from(table.tBodies).concat(table.tFoot ? [table.tFoot] : []).forEach(function (section) {
    const busyUntil = [];
    Array.from(section.rows).forEach(function (row, r) {
      let col = 0;
      Array.from(row.cells).forEach(function (cell) {
        while (busyUntil[col] !== undefined && busyUntil[col] >= r) { col++; }
        if (cell.colSpan === 1 && labels[col] && !cell.hasAttribute("data-label")) { cell.dataset.label = labels[col]; }
        if (cell.colSpan === 1 && labels[col] === "") { cell.classList.add("table-cards-action"); }
        for (let i = 0; i < cell.colSpan; i++) { busyUntil[col + i] = r + cell.rowSpan - 1; }
        col += cell.colSpan;
      });
    });
  });
}
function labelAllCardCells() { document.querySelectorAll("table.table-cards").forEach(labelCardCells); }
labelAllCardCells();
document.body.addEventListener("htmx:afterSettle", labelAllCardCells);
