// The HTML plan report's only script (reconciler/render/html.py): today's line, the hover card, expanding
// and collapsing campaign groups, and the "only changes" filter. It fetches nothing.
(function () {
  "use strict";
  var chart = document.getElementById("chart");
  var note = document.getElementById("today-note");
  if (chart) {
    var start = Number(chart.dataset.start), end = Number(chart.dataset.end), now = Date.now();
    var today = document.getElementById("today");
    var iso = new Date(now).toISOString().slice(0, 10);
    if (now >= start && now <= end) {
      today.style.left = ((now - start) / (end - start)) * 100 + "%";
      today.hidden = false;
      today.title = "today, " + iso;
    } else if (note) {
      note.textContent = "Today (" + iso + ") is " + (now < start ? "before" : "after") + " this timeline.";
    }
  }
  var tip = document.getElementById("tip");
  document.addEventListener("mouseover", function (event) {
    var bar = event.target.closest ? event.target.closest("[data-tip]") : null;
    if (!bar) { tip.hidden = true; return; }
    tip.textContent = bar.getAttribute("data-tip");
    tip.hidden = false;
  });
  document.addEventListener("mousemove", function (event) {
    if (tip.hidden) return;
    var x = event.clientX + 14, y = event.clientY + 14;
    if (x + tip.offsetWidth > window.innerWidth - 8) x = event.clientX - tip.offsetWidth - 14;
    if (y + tip.offsetHeight > window.innerHeight - 8) y = event.clientY - tip.offsetHeight - 14;
    tip.style.left = x + "px";
    tip.style.top = y + "px";
  });
  document.querySelectorAll("button[data-do]").forEach(function (button) {
    button.addEventListener("click", function () {
      var open = button.getAttribute("data-do") === "open";
      document.querySelectorAll("details.group").forEach(function (group) { group.open = open; });
    });
  });
  var only = document.getElementById("only-changes");
  if (only && chart) {
    only.addEventListener("change", function () { chart.classList.toggle("only-changes", only.checked); });
  }
})();
