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
