// Supporting without reloading the page: the form still posts to the same address; the
// answer is the new support box, which replaces the old one. The status line in it is
// announced by screen readers (role="status"); focus goes to the new button. Without
// JavaScript the form posts and the page reloads with the same message.
(() => {
  const enhance = (box) => {
    const form = box.querySelector("form[data-support]");
    if (!form) {
      return;
    }
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const button = form.querySelector("button");
      button.disabled = true;
      try {
        const response = await fetch(form.action, {
          method: "POST",
          body: new FormData(form),
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        });
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        const data = await response.json();
        const holder = document.createElement("div");
        holder.innerHTML = data.html;
        const fresh = holder.firstElementChild;
        box.replaceWith(fresh);
        enhance(fresh);
        (fresh.querySelector("form[data-support] button") || fresh.querySelector("[data-support-status]")).focus();
      } catch {
        form.submit(); // the page answers as without JavaScript
      }
    });
  };
  document.querySelectorAll("[data-support-box]").forEach(enhance);
})();
