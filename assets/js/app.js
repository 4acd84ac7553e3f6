// Progressive enhancement only: every page works without this file.
(function () {
  // The language switcher submits as soon as a language is chosen.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  document.querySelectorAll("[data-hide-with-js]").forEach(function (el) { el.hidden = true; });

  // Phones: the header's menu folds behind a button (CSS shows the button on phones only).
  var toggle = document.querySelector("[data-menu-toggle]");
  if (toggle && document.getElementById("topbar-menu")) {
    var bar = toggle.closest(".topbar");
    toggle.hidden = false;
    var fold = function (folded) {
      bar.classList.toggle("folded", folded);
      toggle.setAttribute("aria-expanded", folded ? "false" : "true");
    };
    fold(true);
    toggle.addEventListener("click", function () { fold(!bar.classList.contains("folded")); });
  }

  // Tables: each cell carries its column's name, shown beside it when a phone stacks
  // the rows into cards.
  document.querySelectorAll("table.table").forEach(function (table) {
    var names = [];
    var head = table.tHead && table.tHead.rows[0];
    if (!head) return;
    Array.prototype.forEach.call(head.cells, function (th) {
      for (var i = 0; i < (th.colSpan || 1); i++) names.push(th.textContent.trim());
    });
    Array.prototype.forEach.call(table.querySelectorAll("tbody tr, tfoot tr"), function (tr) {
      var col = 0;
      Array.prototype.forEach.call(tr.cells, function (cell) {
        var name = names[col];
        if (name && (cell.colSpan || 1) === 1 && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", name);
        col += cell.colSpan || 1;
      });
    });
  });
  // A region that still scrolls sideways (a wide table on a narrow desktop) can be
  // reached and scrolled with the keyboard.
  document.querySelectorAll(".table-wrap").forEach(function (wrap) {
    if (wrap.scrollWidth > wrap.clientWidth && !wrap.hasAttribute("tabindex")) wrap.setAttribute("tabindex", "0");
  });

  // Theme form: keep colour pickers and text fields in step and show a live preview.
  var form = document.querySelector("[data-theme-form]");
  var preview = document.querySelector("[data-theme-preview]");
  if (!form || !preview) return;
  var valid = /^#[0-9a-fA-F]{6}$/;
  // Ink or white, whichever contrasts more (WCAG relative luminance), as the server does.
  function luminance(hex) {
    return [1, 3, 5].map(function (i) {
      var c = parseInt(hex.substr(i, 2), 16) / 255;
      return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }).reduce(function (sum, c, i) { return sum + c * [0.2126, 0.7152, 0.0722][i]; }, 0);
  }
  function textOn(hex) {
    var l = luminance(hex);
    return 1.05 / (l + 0.05) >= (l + 0.05) / (luminance("#1d2327") + 0.05) ? "#ffffff" : "#1d2327";
  }
  function refresh() {
    var primary = form.elements.primary_color.value.trim();
    var accent = form.elements.accent_color.value.trim();
    if (valid.test(primary)) preview.style.setProperty("--primary", primary);
    if (valid.test(accent)) {
      preview.style.setProperty("--accent", accent);
      preview.style.setProperty("--on-accent", textOn(accent));
    }
    var name = preview.querySelector("[data-preview-name]");
    if (name) name.textContent = form.elements.name.value;
  }
  form.querySelectorAll("[data-color-picker]").forEach(function (picker) {
    var text = form.elements[picker.getAttribute("data-color-picker")];
    picker.addEventListener("input", function () { text.value = picker.value; refresh(); });
    text.addEventListener("input", function () { if (valid.test(text.value.trim())) picker.value = text.value.trim(); refresh(); });
  });
  form.elements.name.addEventListener("input", refresh);
  var logo = form.elements.logo;
  logo.addEventListener("change", function () {
    var file = logo.files && logo.files[0];
    if (!file) return;
    var img = preview.querySelector(".brand-logo");
    if (!img) {
      img = document.createElement("img");
      img.className = "brand-logo";
      img.alt = "";
      preview.querySelector(".preview-bar").prepend(img);
    }
    img.src = URL.createObjectURL(file);
  });
})();
