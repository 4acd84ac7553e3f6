// Declaration form, progressive enhancement: the points preview follows typing (the
// server computes it, as with the "preview" button), and "add a line" adds a row here
// instead of sending the form (which would drop the chosen files).
(function () {
  var form = document.querySelector("[data-declaration-form]");
  if (!form || !window.fetch || !window.FormData) return;

  var timer = null;
  function refresh() {
    var data = new FormData(form);
    data.delete("proofs");
    data.set("action", "preview");
    // form.action would be the button named "action": read the attribute.
    fetch(form.getAttribute("action"), { method: "POST", body: data, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (!html) return;
        var doc = new DOMParser().parseFromString(html, "text/html");
        var preview = doc.querySelector("[data-preview]");
        if (preview) form.querySelector("[data-preview]").innerHTML = preview.innerHTML;
        var fresh = doc.querySelectorAll("[data-line]");
        form.querySelectorAll("[data-line]").forEach(function (line, i) {
          var other = fresh[i];
          if (!other) return;
          line.querySelector("[data-line-points]").innerHTML = other.querySelector("[data-line-points]").innerHTML;
          var name = line.querySelector("[data-line-name]");
          var freshName = other.querySelector("[data-line-name]");
          if (name) name.remove();
          if (freshName) line.querySelector("[data-line-product]").after(freshName);
          var price = other.querySelector("[data-line-price]");
          line.querySelector("[data-line-price]").placeholder = price ? price.placeholder : "";
        });
      })
      .catch(function () { /* the preview button still works */ });
  }
  function later() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 350);
  }
  form.addEventListener("input", function (e) {
    if (e.target.closest("[data-line]")) later();
  });

  var add = form.querySelector("button[value=add_line]");
  if (add) {
    add.addEventListener("click", function (e) {
      var lines = form.querySelectorAll("[data-line]");
      if (lines.length >= 30) return;
      e.preventDefault();
      var last = lines[lines.length - 1];
      var copy = last.cloneNode(true);
      var n = lines.length + 1;
      copy.querySelectorAll("input").forEach(function (input) {
        input.value = "";
        input.placeholder = input.hasAttribute("data-line-product") ? input.placeholder : "";
        input.removeAttribute("aria-invalid");
        var field = input.id.replace(/^line-\d+-/, "");
        input.id = "line-" + n + "-" + field;
      });
      copy.querySelectorAll("label").forEach(function (label) {
        label.htmlFor = label.htmlFor.replace(/^line-\d+-/, "line-" + n + "-");
      });
      copy.querySelectorAll(".field-error, [data-line-name]").forEach(function (el) { el.remove(); });
      copy.querySelector("[data-line-points]").textContent = "";
      last.after(copy);
      copy.querySelector("input").focus();
    });
  }
})();
