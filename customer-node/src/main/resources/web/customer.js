// The report page without this file works the same; with it the customer sees the content's length
// against the limit while typing (the limit is the textarea's maxlength, which the server renders).
document.addEventListener("DOMContentLoaded", function () {
  var content = document.getElementById("content");
  var count = document.getElementById("content-count");
  if (!content || !count) {
    return;
  }
  var max = Number(content.getAttribute("maxlength"));
  function update() {
    count.textContent = "(" + content.value.length.toLocaleString("en") + " of " + max.toLocaleString("en") + " used)";
  }
  content.addEventListener("input", update);
  update();
});

// The issue page follows its issue without a reload: every few seconds it asks the JSON API and,
// when something happened, shows the new status, progress and timeline (and takes the close form
// away once the issue is closed). Without this file the page is right as of its loading.
document.addEventListener("DOMContentLoaded", function () {
  var timeline = document.getElementById("timeline");
  if (!timeline || !window.fetch) {
    return;
  }
  var id = timeline.getAttribute("data-issue");
  var shown = timeline.children.length;
  var progressWords = {
    "reported": "Reported: waiting for our support team to take it on",
    "received": "Received by our support team",
    "assigned": "An agent is working on it",
    "closed-by-support": "Closed by our support team"
  };
  var whatWords = {
    "reported": "You reported the issue",
    "received": "Our support team received it",
    "assigned": "An agent started working on it",
    "answered": "Support replied",
    "closed-by-support": "Our support team closed it",
    "closed": "You closed the issue"
  };
  function when(iso) {
    // the shared format of both services' pages (time.js), in the viewer's time zone
    return (window.helpdeskTime && window.helpdeskTime.format(iso)) || iso;
  }
  function render(issue) {
    var status = document.getElementById("status");
    status.textContent = issue.status;
    status.className = "status badge status-" + issue.status;
    var progress = document.getElementById("progress");
    if (progress) {
      // (as the server writes it: once the customer closed it, support's progress is history)
      progress.textContent = issue.status === "closed" && issue.progress !== "closed-by-support"
        ? "Closed by you"
        : progressWords[issue.progress] || issue.progress;
    }
    if (issue.timeline.length === shown) {
      return;
    }
    shown = issue.timeline.length;
    timeline.textContent = "";
    issue.timeline.forEach(function (m) {
      var li = document.createElement("li");
      var time = document.createElement("time");
      var at = m.at.replace(/\.\d+Z$/, "Z"); // to the second, as the server writes it
      time.setAttribute("datetime", at);
      time.textContent = when(at);
      li.appendChild(time);
      li.appendChild(document.createTextNode(" " + (whatWords[m.what] || m.what)));
      if (m.reply) {
        var reply = document.createElement("blockquote");
        reply.className = "reply";
        reply.textContent = m.reply;
        li.appendChild(reply);
      }
      timeline.appendChild(li);
    });
    var form = document.getElementById("close-form");
    if (form && issue.status === "closed") {
      var note = document.createElement("p");
      note.id = "closed-note";
      note.textContent = "This issue is closed.";
      form.parentNode.replaceChild(note, form);
    }
  }
  function poll() {
    fetch("/issues/" + id, { headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (issue) { if (issue) { render(issue); } })
      .catch(function () { /* the next poll tries again */ })
      .then(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 3000);
});
