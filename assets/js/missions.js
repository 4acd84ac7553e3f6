// Missions. A video's player reports what it played: it starts a watch on the first
// play, then sends the played ranges (the browser's own `video.played`) every few
// seconds, on pause and at the end. The server decides when the video counts as
// watched (enough seen, and enough time gone by); the page reloads when it does.
// In the studio, a chosen video's duration is read by the browser and filled in.
(function () {
  var video = document.getElementById("mission-video");
  if (video && window.fetch) {
    var mission = video.getAttribute("data-mission");
    var csrf = video.getAttribute("data-csrf");
    var percent = document.querySelector("[data-testid=seen-percent]");
    var error = document.querySelector("[data-testid=video-error]");
    var started = null;
    var timer = null;

    function post(path, body) {
      return fetch("/missions/" + mission + path, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
        body: JSON.stringify(body || {}),
      }).then(function (r) {
        return r.json().then(function (data) {
          if (!r.ok) throw data;
          return data;
        });
      });
    }

    function show(progress) {
      if (percent) percent.textContent = String(progress.seen_percent);
      if (progress.completed || progress.quiz_open) window.location.reload();
    }

    function fail(data) {
      if (error && data && data.error) {
        error.textContent = data.error.message;
        error.hidden = false;
      }
    }

    function ranges() {
      var out = [];
      for (var i = 0; i < video.played.length; i++) {
        out.push([video.played.start(i), video.played.end(i)]);
      }
      return out;
    }

    function report() {
      if (!started) return;
      started.then(function () {
        var now = ranges();
        return post("/watch", { ranges: now }).then(show);
      }).catch(fail);
    }

    video.addEventListener("play", function () {
      if (!started) {
        started = post("/watch/start").then(show);
        started.catch(fail);
      }
      if (!timer) timer = setInterval(report, 3000);
    });
    video.addEventListener("pause", report);
    video.addEventListener("ended", function () {
      clearInterval(timer);
      timer = null;
      report();
    });
  }

  // Studio: fill in the duration of the chosen video.
  var inputs = document.querySelectorAll("input[type=file][data-duration-target]");
  Array.prototype.forEach.call(inputs, function (input) {
    var target = document.getElementById(input.getAttribute("data-duration-target"));
    if (!target || !window.URL) return;
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      if (!file) return;
      var probe = document.createElement("video");
      probe.preload = "metadata";
      probe.onloadedmetadata = function () {
        if (isFinite(probe.duration) && probe.duration > 0) {
          target.value = String(Math.ceil(probe.duration));
        }
        URL.revokeObjectURL(probe.src);
      };
      probe.src = URL.createObjectURL(file);
    });
  });

  // Studio: show the rules of the chosen kind only.
  var kind = document.getElementById("kind");
  if (kind) {
    var sets = document.querySelectorAll("fieldset[data-kind]");
    var show = function () {
      Array.prototype.forEach.call(sets, function (set) {
        set.hidden = set.getAttribute("data-kind").split(" ").indexOf(kind.value) < 0;
      });
    };
    kind.addEventListener("change", show);
    show();
  }
})();
