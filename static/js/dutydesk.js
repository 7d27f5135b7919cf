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
// Print buttons: <button data-print>.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) { window.print(); }
});
