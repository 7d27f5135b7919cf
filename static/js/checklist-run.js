// A checklist run: the server reports the answered count in an HX-Trigger "run-progress" event.
document.body.addEventListener("run-progress", function (e) {
  const el = document.getElementById("run-progress");
  if (el && e.detail) { el.dataset.answered = e.detail.answered; }
});
