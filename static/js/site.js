// After a failed submit, start keyboard and screen-reader users at the list of errors.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
});
