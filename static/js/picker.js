// Choosing several items without Ctrl-click: a <select multiple data-picker> becomes a filter box over
// a list of checkboxes. The select stays in the form (hidden) and carries the choice, so the form
// posts exactly what it did before; without JavaScript the plain select still works.
(function () {
  let seq = 0;

  function enhance(select) {
    if (select.dataset.pickerReady) { return; }
    select.dataset.pickerReady = "1";
    const name = select.name || `picker-${++seq}`;
    const box = document.createElement("div");
    box.className = "picker border rounded p-2 bg-body";
    box.setAttribute("data-testid", `picker-${name}`);
    const filter = document.createElement("input");
    filter.type = "search";
    filter.className = "form-control form-control-sm mb-2";
    filter.placeholder = select.dataset.pickerFilter || "";
    filter.setAttribute("aria-label", select.dataset.pickerFilter || "");
    filter.setAttribute("data-testid", `picker-filter-${name}`);
    const list = document.createElement("div");
    list.className = "picker-list";
    const empty = document.createElement("div");
    empty.className = "text-muted small d-none";
    empty.textContent = select.dataset.pickerEmpty || "—";

    const rows = [];
    for (const option of select.options) {
      const row = document.createElement("div");
      row.className = "form-check";
      const check = document.createElement("input");
      check.type = "checkbox";
      check.className = "form-check-input";
      check.id = `${select.id || name}-pick-${rows.length}`;
      check.checked = option.selected;
      check.value = option.value;
      check.addEventListener("change", function () {
        option.selected = check.checked;
        select.dispatchEvent(new Event("change", {bubbles: true}));
      });
      const label = document.createElement("label");
      label.className = "form-check-label";
      label.htmlFor = check.id;
      label.textContent = option.textContent;
      row.append(check, label);
      list.append(row);
      rows.push({row, text: option.textContent.toLowerCase()});
    }

    filter.addEventListener("input", function () {
      const words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
      let shown = 0;
      for (const r of rows) {
        const match = words.every((w) => r.text.includes(w));
        r.row.classList.toggle("d-none", !match);
        shown += match ? 1 : 0;
      }
      empty.classList.toggle("d-none", shown > 0);
    });
    // Enter in the filter box filters; it does not submit the form.
    filter.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }
    });

    box.append(filter, list, empty);
    select.hidden = true;
    select.required = false;
    select.after(box);
    // A label pointing at the select now points at the filter box.
    if (select.id) {
      filter.id = `${select.id}-filter`;
      for (const l of document.querySelectorAll(`label[for="${select.id}"]`)) { l.htmlFor = filter.id; }
    }
  }

  function enhanceAll(root) {
    for (const select of root.querySelectorAll("select[multiple][data-picker]")) { enhance(select); }
  }

  enhanceAll(document);
  document.addEventListener("htmx:load", (event) => enhanceAll(event.target));
})();
