// Progressive enhancement only: every page works without this file.
(function () {
  // The language switcher submits as soon as a language is chosen.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  document.querySelectorAll("[data-hide-with-js]").forEach(function (el) { el.hidden = true; });

  // Theme form: keep colour pickers and text fields in step and show a live preview.
  var form = document.querySelector("[data-theme-form]");
  var preview = document.querySelector("[data-theme-preview]");
  if (!form || !preview) return;
  var valid = /^#[0-9a-fA-F]{6}$/;
  function refresh() {
    var primary = form.elements.primary_color.value.trim();
    var accent = form.elements.accent_color.value.trim();
    if (valid.test(primary)) preview.style.setProperty("--primary", primary);
    if (valid.test(accent)) preview.style.setProperty("--accent", accent);
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
