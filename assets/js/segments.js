// Segment form: refresh the count of matching partners as the rule is edited.
(function () {
  var form = document.querySelector("[data-segment-form]");
  var out = document.querySelector("[data-segment-count]");
  if (!form || !out || !window.fetch) return;
  var timer = null;
  function refresh() {
    var params = new URLSearchParams(new FormData(form));
    params.delete("csrf_token");
    fetch("/studio/segments/count?" + params.toString(), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) out.textContent = data.label; })
      .catch(function () {});
  }
  function later() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 250);
  }
  form.addEventListener("change", later);
  form.addEventListener("input", later);
})();
