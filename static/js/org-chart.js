// The org chart's PNG download: draw the chart's SVG onto a canvas (no network, no library) and
// download the bitmap.
document.getElementById("chart-png")?.addEventListener("click", function () {
  const svg = document.querySelector("#org-chart svg");
  if (!svg) { return; }
  const scale = 2;
  const width = svg.viewBox.baseVal.width, height = svg.viewBox.baseVal.height;
  const source = new XMLSerializer().serializeToString(svg);
  const url = URL.createObjectURL(new Blob([source], {type: "image/svg+xml;charset=utf-8"}));
  const img = new Image();
  img.onload = function () {
    const canvas = document.createElement("canvas");
    canvas.width = width * scale; canvas.height = height * scale;
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
