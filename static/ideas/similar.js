// Similar ideas while writing: as the citizen types the title, summary or problem, the list
// under the title is fetched again (debounced, the previous request cancelled). Without
// JavaScript the form shows the same list as a step before submitting.
(function () {
  "use strict";
  var box = document.querySelector("[data-similar-ideas]");
  if (!box || !window.fetch) return;
  var form = box.closest("form");
  var fields = ["title", "summary", "problem"].map(function (name) {
    return form.querySelector("[name='" + name + "']");
  }).filter(Boolean);
  var seen = form.querySelector("[name='similar_seen']");
  // The list is shown while typing: the step before submitting is not needed.
  if (seen) seen.value = "1";
  var timer = null;
  var pending = null;
  var last = "";

  function query() {
    var params = new URLSearchParams();
    fields.forEach(function (field) {
      params.set(field.name, field.value.slice(0, 1000));
    });
    if (box.dataset.idea) params.set("idea", box.dataset.idea);
    return params.toString();
  }

  function refresh() {
    var params = query();
    if (params === last) return;
    last = params;
    if (pending) pending.abort();
    pending = new AbortController();
    var timeout = setTimeout(function () { pending.abort(); }, 3000);
    fetch(box.dataset.url + "?" + params, {
      signal: pending.signal,
      credentials: "same-origin",
      headers: { "Accept": "text/html" },
    })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        box.innerHTML = html;
      })
      .catch(function () { /* no suggestions; the form works as before */ })
      .finally(function () { clearTimeout(timeout); });
  }

  fields.forEach(function (field) {
    field.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, 500);
    });
  });
})();
