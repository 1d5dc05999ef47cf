// Both services' pages print a moment one way, "7 December 2026, 14:41:38 CET": the server writes
// <time datetime="…Z"> with the text in UTC, and this script rewrites it in the viewer's time zone,
// from explicit parts (24-hour clock, to the second) so that no browser locale changes the format.
// Runs on load and again on what htmx swaps in; other scripts format with helpdeskTime.format.
(function () {
  var parts = new Intl.DateTimeFormat("en-GB", {
    day: "numeric", month: "long", year: "numeric",
    hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
    timeZoneName: "short"
  });
  function format(iso) {
    var at = new Date(iso);
    if (isNaN(at.getTime())) {
      return null;
    }
    var p = {};
    parts.formatToParts(at).forEach(function (part) { p[part.type] = part.value; });
    return p.day + " " + p.month + " " + p.year + ", "
      + p.hour + ":" + p.minute + ":" + p.second + " " + p.timeZoneName;
  }
  function localise(root) {
    var times = (root || document).querySelectorAll("time[datetime]");
    for (var i = 0; i < times.length; i++) {
      var text = format(times[i].getAttribute("datetime"));
      if (text !== null && times[i].textContent !== text) {
        if (!times[i].title) {
          times[i].title = times[i].textContent; // the server's text, in UTC
        }
        times[i].textContent = text;
      }
    }
  }
  window.helpdeskTime = { format: format, localise: localise };
  document.addEventListener("DOMContentLoaded", function () { localise(document); });
  document.addEventListener("htmx:afterSettle", function () { localise(document); });
})();
