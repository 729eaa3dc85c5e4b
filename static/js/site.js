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

// The idea form's quarters: typing narrows the checkboxes to the quarters (or districts)
// whose names contain the text, ignoring case and accents. Boxes that are hidden keep
// their state; clearing the text shows all again.
(() => {
  const picker = document.querySelector("[data-quarter-picker]");
  const filter = picker?.querySelector("[data-quarter-filter]");
  if (!filter) {
    return;
  }
  const input = filter.querySelector("input");
  const status = filter.querySelector("[role=status]");
  const plain = (text) =>
    text.toLocaleLowerCase("de").normalize("NFD").replace(/\p{Diacritic}/gu, "").trim();
  const districts = [...picker.querySelectorAll("[data-quarter-district]")].map((group) => ({
    group,
    name: plain(group.querySelector("legend").textContent),
    choices: [...group.querySelectorAll("[data-quarter-choice]")].map((choice) => ({
      choice,
      name: plain(choice.textContent),
    })),
  }));
  input.addEventListener("input", () => {
    const wanted = plain(input.value);
    let shown = 0;
    for (const district of districts) {
      const wholeDistrict = district.name.includes(wanted);
      let shownHere = 0;
      for (const { choice, name } of district.choices) {
        choice.hidden = !(wholeDistrict || name.includes(wanted));
        shownHere += choice.hidden ? 0 : 1;
      }
      district.group.hidden = shownHere === 0;
      shown += shownHere;
    }
    const message = shown === 0 ? status.dataset.none
      : shown === 1 ? status.dataset.one : status.dataset.many;
    status.textContent = wanted ? message.replace("%(count)s", String(shown)) : "";
  });
  filter.hidden = false;
})();

// A wide table's hint ("swipe sideways") shows only while the table does not fit.
(() => {
  for (const region of document.querySelectorAll(".kern-table-responsive[aria-describedby]")) {
    const hint = document.getElementById(region.getAttribute("aria-describedby"));
    if (!hint?.matches("[data-scroll-hint]")) {
      continue;
    }
    hint.classList.add("scroll-hint--js");
    const update = () => {
      hint.hidden = region.scrollWidth <= region.clientWidth;
    };
    new ResizeObserver(update).observe(region);
  }
})();

// A print button where one is offered (the idea's page); without JavaScript the browser's
// own print command does the same, so the button shows only with it.
(() => {
  for (const button of document.querySelectorAll("[data-print]")) {
    button.addEventListener("click", () => window.print());
    button.hidden = false;
  }
})();

// The idea list with htmx (templates/ideas/idea_list.html): the filter form asks for the
// results without its empty fields, so the address is the one the server gives a form sent
// without JavaScript (it redirects to the address without them); after results came by
// another way (a removed filter, another page), the form shows what the address says.
(() => {
  const form = document.querySelector("[data-filter-form]");
  if (!form) {
    return;
  }
  document.body.addEventListener("htmx:configRequest", (event) => {
    const data = event.detail.formData;
    if (event.detail.elt !== form || !data) {
      return;
    }
    for (const [name, value] of [...data.entries()]) {
      if (typeof value === "string" && value.trim() === "") {
        data.delete(name);
      }
    }
  });
  document.body.addEventListener("htmx:pushedIntoHistory", () => {
    const params = new URLSearchParams(window.location.search);
    for (const element of form.elements) {
      if (!element.name || element.type === "submit") {
        continue;
      }
      if (params.has(element.name)) {
        element.value = params.get(element.name);
      } else if (element.tagName === "SELECT") {
        element.selectedIndex = 0;
      } else {
        element.value = "";
      }
    }
  });
})();
