// After a failed submit, start keyboard and screen-reader users at the list of errors.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
});

// The main navigation behind a menu button on narrow screens (the CSS decides when the
// button shows). Escape closes the menu and returns to the button. Run at once (the script
// is deferred, the page is parsed), so that the menu is closed as early as possible.
(() => {
  const nav = document.querySelector("[data-site-nav]");
  const toggle = nav?.querySelector("[data-site-nav-toggle]");
  if (!toggle) {
    return;
  }
  const open = (wanted) => toggle.setAttribute("aria-expanded", String(wanted));
  toggle.addEventListener("click", () => open(toggle.getAttribute("aria-expanded") !== "true"));
  nav.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
      open(false);
      toggle.focus();
    }
  });
  nav.classList.add("site-nav--js");
})();
