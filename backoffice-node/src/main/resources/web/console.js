// Writes each <time datetime> in the viewer's time zone, to the second; without this script the
// page shows the same moment in UTC. Runs again on what htmx swaps in (live lists and details).
(function () {
  var format = new Intl.DateTimeFormat(undefined, {
    day: "numeric", month: "long", year: "numeric",
    hour: "2-digit", minute: "2-digit", second: "2-digit", timeZoneName: "short"
  });
  function localise(root) {
    var times = (root || document).querySelectorAll("time[datetime]");
    for (var i = 0; i < times.length; i++) {
      var t = times[i];
      var at = new Date(t.getAttribute("datetime"));
      if (!isNaN(at.getTime())) {
        if (!t.title) {
          t.title = t.textContent;
        }
        t.textContent = format.format(at);
      }
    }
  }
  document.addEventListener("DOMContentLoaded", function () { localise(document); });
  document.addEventListener("htmx:afterSettle", function () { localise(document); });
})();
