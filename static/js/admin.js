// Repairs to Django's admin scripts (loaded by templates/admin/base_site.html, deferred: it
// runs after the admin's own scripts are parsed and before they build their widgets, on
// DOMContentLoaded and load, so it can wrap the functions that build them).
"use strict";

// The two-list picker (filter_horizontal) puts its help ("Type into this box to filter ...")
// in an aria-label on a bare <span>, which ARIA does not allow there (axe:
// aria-prohibited-attr), so assistive technology may drop it. As an image the span may
// carry the label, and the text stays part of the search box's label.
function repairPickers() {
  for (const icon of document.querySelectorAll(".search-label-icon[aria-label]:not([role])")) {
    icon.setAttribute("role", "img");
  }
}

// The autocomplete box (select2) names itself by the option shown, which is empty until
// one is chosen (axe: aria-input-field-name). Name it by the field's label as well.
function repairAutocomplete(select) {
  const label = select.id && document.querySelector(`label[for="${select.id}"]`);
  const box = select.nextElementSibling;
  const combobox = box?.querySelector(".select2-selection[role=combobox]");
  const shown = box?.querySelector(".select2-selection__rendered");
  if (label && combobox && shown) {
    label.id ||= `${select.id}_label`;
    combobox.setAttribute("aria-labelledby", `${label.id} ${shown.id}`);
    shown.setAttribute("aria-labelledby", label.id);
  } else if (combobox && shown && select.getAttribute("aria-label")) {
    // In a table row (admin_labels.py) the select is named by aria-label, not a label.
    combobox.setAttribute("aria-label", select.getAttribute("aria-label"));
    shown.setAttribute("aria-label", select.getAttribute("aria-label"));
  }
}

if (window.SelectFilter) {
  const init = window.SelectFilter.init;
  window.SelectFilter.init = function (...args) {
    const result = init.apply(this, args);
    repairPickers();
    return result;
  };
}

const jQuery = window.django?.jQuery;
if (jQuery?.fn.djangoAdminSelect2) {
  const build = jQuery.fn.djangoAdminSelect2;
  jQuery.fn.djangoAdminSelect2 = function () {
    const result = build.call(this);
    this.each((index, select) => repairAutocomplete(select));
    return result;
  };
}
