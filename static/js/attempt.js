// Background save of each answer as it is chosen, and the time-limit countdown.
// The page works without this file: the Save and Submit buttons post the form.
(function () {
  "use strict";
  var form = document.getElementById("attempt-form");
  if (!form) return;
  var state = document.getElementById("save-state");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var pending = 0;
  // Two quick changes can reach the server in either order: each save carries this
  // page's name and a counter, and the server ignores one older than what it stored.
  var page = Date.now().toString(36) + Math.random().toString(36).slice(2, 10);
  var seq = 0;

  function show(text, kind) {
    state.textContent = text;
    state.className = "save-state small ms-2 " + (kind === "error" ? "text-danger fw-semibold" : "text-body-secondary");
  }

  function markNavigator(fieldset) {
    var answered = fieldset.querySelectorAll("input:checked").length > 0;
    var link = document.querySelector('[data-nav-for="' + fieldset.dataset.question + '"]');
    if (link) {
      link.classList.toggle("bg-success-subtle", answered);
      link.querySelector(".nav-state").textContent = answered ? " answered" : " not answered";
      var mark = link.querySelector(".nav-mark");
      if (answered && !mark) {
        mark = document.createElement("span");
        mark.className = "nav-mark";
        mark.setAttribute("aria-hidden", "true");
        mark.textContent = " \u2713";
        link.appendChild(mark);
      } else if (!answered && mark) {
        mark.remove();
      }
    }
    var count = form.querySelectorAll("fieldset[data-question]").length;
    var done = Array.prototype.filter.call(form.querySelectorAll("fieldset[data-question]"), function (f) {
      return f.querySelectorAll("input:checked").length > 0;
    }).length;
    document.getElementById("answered-count").textContent = done;
    return count;
  }

  function save(fieldset) {
    var qid = fieldset.dataset.question;
    var body = new URLSearchParams();
    body.append("csrfmiddlewaretoken", token);
    body.append("shown", qid);
    body.append("page", page);
    body.append("seq", String(++seq));
    fieldset.querySelectorAll("input:checked").forEach(function (input) {
      body.append(input.name, input.value);
    });
    pending += 1;
    show("Saving\u2026");
    fetch(form.dataset.saveUrl, {
      method: "POST",
      headers: { "Accept": "application/json", "X-CSRFToken": token },
      body: body,
      credentials: "same-origin",
    })
      .then(function (response) {
        // A 403 or 404 answers with a page, not JSON: still report it as not saved.
        return response.json().catch(function () { return {}; }).then(function (data) {
          return { ok: response.ok, status: response.status, data: data };
        });
      })
      .then(function (result) {
        pending -= 1;
        if (result.ok) {
          if (!pending) show("All answers saved \u2713");
        } else {
          show("Not saved: " + (result.data.error || "please reload the page and try again."), "error");
          // Submitted elsewhere or out of time: reloading shows the graded result.
          if (result.status === 409) setTimeout(function () { window.location.reload(); }, 2500);
        }
      })
      .catch(function () {
        pending -= 1;
        show("Not saved: check your connection, then use Save answers.", "error");
      });
  }

  // The Save and Submit buttons post the whole form: it is newer than any save in flight.
  form.addEventListener("submit", function () {
    [["page", page], ["seq", String(++seq)]].forEach(function (pair) {
      var input = form.querySelector("input[name=" + pair[0] + "]");
      if (!input) {
        input = document.createElement("input");
        input.type = "hidden";
        input.name = pair[0];
        form.appendChild(input);
      }
      input.value = pair[1];
    });
  });

  form.addEventListener("change", function (event) {
    var fieldset = event.target.closest("fieldset[data-question]");
    if (!fieldset) return;
    markNavigator(fieldset);
    save(fieldset);
  });

  var countdown = document.getElementById("countdown");
  if (countdown) {
    var left = parseInt(countdown.dataset.secondsLeft, 10);
    var value = document.getElementById("countdown-value");
    var timer = setInterval(function () {
      left -= 1;
      if (left <= 0) {
        clearInterval(timer);
        value.textContent = "0:00";
        window.location.reload();  // the server grades the saved answers
        return;
      }
      var minutes = Math.floor(left / 60), seconds = left % 60;
      value.textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
    }, 1000);
  }
})();
