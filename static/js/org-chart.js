// The org chart: fitted to the width of the page on load (CSS: the SVG is 100% wide and keeps its
// viewBox's proportions), then zoomed with the wheel or the +/- buttons and panned by dragging, by
// moving the SVG's viewBox. The viewBox keeps the chart's proportions, so the element never changes
// size. "Fit" (and printing) shows the whole chart again.
// The PNG download draws the whole chart's SVG onto a canvas (no network, no library).
(function () {
  const svg = document.querySelector("#org-chart svg");
  if (!svg) { return; }
  const full = {x: 0, y: 0, w: svg.viewBox.baseVal.width, h: svg.viewBox.baseVal.height};
  const MAX_ZOOM = 8;
  let view = {...full};
  // Fit to the width, but never drawn larger than the chart's own size.
  svg.style.maxWidth = `${full.w}px`;

  function apply() {
    svg.setAttribute("viewBox", `${view.x} ${view.y} ${view.w} ${view.h}`);
    svg.dataset.zoom = (full.w / view.w).toFixed(3);
  }

  function clamp() {
    view.w = Math.min(full.w, Math.max(full.w / MAX_ZOOM, view.w));
    view.h = view.w * full.h / full.w;
    view.x = Math.min(full.x + full.w - view.w, Math.max(full.x, view.x));
    view.y = Math.min(full.y + full.h - view.h, Math.max(full.y, view.y));
  }

  // The chart point under a point of the screen (the SVG's box scales the viewBox uniformly).
  function toChart(clientX, clientY) {
    const box = svg.getBoundingClientRect();
    return {
      x: view.x + (clientX - box.left) / box.width * view.w,
      y: view.y + (clientY - box.top) / box.height * view.h,
    };
  }

  function zoom(factor, clientX, clientY) {
    const box = svg.getBoundingClientRect();
    const cx = clientX ?? box.left + box.width / 2, cy = clientY ?? box.top + box.height / 2;
    const at = toChart(cx, cy);
    view.w = view.w / factor;
    clamp();
    // Keep the point under the cursor where it was.
    view.x = at.x - (cx - box.left) / box.width * view.w;
    view.y = at.y - (cy - box.top) / box.height * view.h;
    clamp();
    apply();
  }

  function fit() { view = {...full}; apply(); }

  svg.addEventListener("wheel", function (event) {
    event.preventDefault();
    zoom(event.deltaY < 0 ? 1.2 : 1 / 1.2, event.clientX, event.clientY);
  }, {passive: false});

  // Dragging pans; a press that hardly moves stays a click on the position under it.
  let drag = null;
  svg.addEventListener("pointerdown", function (event) {
    if (event.button !== 0) { return; }
    drag = {id: event.pointerId, x: event.clientX, y: event.clientY, view: {...view}, moved: false};
  });
  svg.addEventListener("pointermove", function (event) {
    if (!drag || event.pointerId !== drag.id) { return; }
    const dx = event.clientX - drag.x, dy = event.clientY - drag.y;
    if (!drag.moved && Math.hypot(dx, dy) < 4) { return; }
    if (!drag.moved) { drag.moved = true; svg.setPointerCapture(event.pointerId); svg.classList.add("panning"); }
    const box = svg.getBoundingClientRect();
    view.x = drag.view.x - dx / box.width * view.w;
    view.y = drag.view.y - dy / box.height * view.h;
    clamp();
    apply();
  });
  function endDrag(event) {
    if (!drag || event.pointerId !== drag.id) { return; }
    if (drag.moved) {
      svg.classList.remove("panning");
      // The click that follows a drag must not open the position the drag ended on.
      svg.addEventListener("click", function (e) { e.preventDefault(); e.stopPropagation(); }, {capture: true, once: true});
    }
    drag = null;
  }
  svg.addEventListener("pointerup", endDrag);
  svg.addEventListener("pointercancel", endDrag);

  document.querySelector("[data-chart-zoom=in]")?.addEventListener("click", () => zoom(1.5));
  document.querySelector("[data-chart-zoom=out]")?.addEventListener("click", () => zoom(1 / 1.5));
  document.querySelector("[data-chart-zoom=fit]")?.addEventListener("click", fit);
  window.addEventListener("beforeprint", fit);

  document.getElementById("chart-png")?.addEventListener("click", function () {
    const scale = 2;
    const copy = svg.cloneNode(true);
    copy.setAttribute("viewBox", `${full.x} ${full.y} ${full.w} ${full.h}`);
    copy.setAttribute("width", full.w);
    copy.setAttribute("height", full.h);
    const source = new XMLSerializer().serializeToString(copy);
    const url = URL.createObjectURL(new Blob([source], {type: "image/svg+xml;charset=utf-8"}));
    const img = new Image();
    img.onload = function () {
      const canvas = document.createElement("canvas");
      canvas.width = full.w * scale; canvas.height = full.h * scale;
      const ctx = canvas.getContext("2d");
      ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
      URL.revokeObjectURL(url);
      canvas.toBlob(function (blob) {
        const a = document.createElement("a");
        a.href = URL.createObjectURL(blob); a.download = "org-chart.png";
        document.body.appendChild(a); a.click(); a.remove();
      }, "image/png");
    };
    img.src = url;
  });
})();
