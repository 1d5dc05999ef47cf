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
