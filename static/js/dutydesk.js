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
