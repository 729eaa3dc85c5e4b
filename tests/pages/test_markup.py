from pages.markup import render_markup

VALUES = {"city_name": "Halle (Saale)", "analog_retention_days": "365"}


def test_headings_paragraphs_and_lists():
    html = render_markup(
        "Erster Absatz\nzweite Zeile.\n\n## Überschrift\nText.\n\n### Unter\n- eins\n- zwei\n",
        VALUES,
    )
    assert '<p class="kern-body">Erster Absatz zweite Zeile.</p>' in html
    assert '<h2 class="kern-heading-medium">Überschrift</h2>' in html
    assert '<h3 class="kern-heading-small">Unter</h3>' in html
    assert '<ul class="kern-list"><li>eins</li><li>zwei</li></ul>' in html


def test_everything_is_escaped():
    html = render_markup(
        '<script>alert("x")</script>\n\n## <b>fett</b>\n- <img src=x onerror=1>', {}
    )
    assert "<script>" not in html and "<b>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    assert "&lt;b&gt;fett&lt;/b&gt;" in html


def test_addresses_become_links_and_placeholders_are_filled():
    html = render_markup(
        "Mehr unter https://www.halle.de/datenschutz. Mail: datenschutz@halle.de\n\n"
        "Die Stadt {city_name} löscht nach {analog_retention_days} Tagen; {unknown} bleibt.",
        VALUES,
    )
    assert '<a class="kern-link" href="https://www.halle.de/datenschutz">' in html
    assert 'href="mailto:datenschutz@halle.de"' in html
    assert "Die Stadt Halle (Saale) löscht nach 365 Tagen; {unknown} bleibt." in html


def test_a_link_cannot_smuggle_markup():
    html = render_markup('https://example.org/"><script>x</script>', {})
    assert "<script>" not in html


def test_a_list_item_may_go_on_over_several_lines():
    html = render_markup("- erster Punkt\n  geht weiter\n- zweiter\n\nAbsatz", {})
    assert "<li>erster Punkt geht weiter</li><li>zweiter</li></ul>" in html
    assert '<p class="kern-body">Absatz</p>' in html
