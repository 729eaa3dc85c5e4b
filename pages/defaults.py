"""The legal pages' first texts: what the static templates said, plus what the privacy
notice must say about the download and deletion of one's data, the retention periods and the
map. Used by the data migration and whenever a page's row is missing."""

# Placeholders in braces are filled from the settings when the page is shown (see
# pages.markup).
PAGES = {
    "privacy": {
        "title_de": "Datenschutzhinweise",
        "body_de": """\
Die Stadt {city_name} betreibt diese Plattform, um Projektideen für ihre
Smart-City-Strategie zu sammeln.

## Was wir speichern
Für Ihr Konto Ihre E-Mail-Adresse und Ihr Passwort (als sicherer Hashwert, nicht im
Klartext); Ihren Anzeigenamen, der bei Ihren Ideen angezeigt wird; Ihre Ideen mit ihren
Bildern, aus denen wir Standortdaten und andere Metadaten entfernen; Zeitpunkt und Version
Ihrer Einwilligung.

## Wer was sieht
Eingereichte Ideen sind mit Ihrem Anzeigenamen öffentlich sichtbar. Ihre E-Mail-Adresse und
Ihr echter Name werden nie öffentlich angezeigt; nur die Redaktion der Stadt kann sie sehen,
um Sie wegen Ihrer Idee zu kontaktieren.

## Wo Ihre Daten bleiben
Alle Daten bleiben auf den Servern der Stadt. Diese Website lädt ohne Ihre Zustimmung nichts
von anderen Servern: keine Schriften, keine Skripte, kein Tracking.

## Karte
Die Karte der Ideen zeigt Kartenkacheln von OpenStreetMap erst, nachdem Sie dem ausdrücklich
zugestimmt haben. Erst dann lädt Ihr Browser die Kacheln von den Servern der OpenStreetMap
Foundation; diese erhalten dabei Ihre IP-Adresse. Ohne Ihre Zustimmung wird nichts von dort
geladen.

## Wie lange wir Daten speichern
- Ihr Konto und Ihre Ideen speichern wir, bis Sie Ihr Konto löschen.
- Name, Anschrift, Telefonnummer und E-Mail-Adresse von Personen, die eine Idee auf Papier,
  per Post, per Telefon oder bei einer Veranstaltung eingereicht haben, löschen wir
  {analog_retention_days} Tage nach Ende des Aufrufs oder nach Veröffentlichung der
  Rückmeldung zu ihrer Idee, je nachdem, was später liegt.
- Abgemeldete oder nie bestätigte Abonnements löschen wir nach {unsubscribed_retention_days}
  Tagen.
- Namen und E-Mail-Adressen aus Anmeldungen zu Veranstaltungen löschen wir
  {event_retention_days} Tage nach der Veranstaltung.

## Ihre Rechte
Sie können jederzeit Auskunft über Ihre Daten erhalten, sie berichtigen und löschen lassen
sowie Ihre Einwilligung widerrufen. Wenden Sie sich dazu bitte an die oder den
Datenschutzbeauftragten der Stadt.

Auf der Seite „Mein Konto“ können Sie alle Daten, die wir über Sie speichern, selbst als
Datei herunterladen (Art. 15 und 20 DSGVO) und Ihr Konto selbst löschen (Art. 17 DSGVO).
Beim Löschen entfernen wir Ihre personenbezogenen Daten; Ihre eingereichten Ideen bleiben
öffentlich und werden als von einem „ehemaligen Mitglied“ angezeigt, Ihre Entwürfe werden
gelöscht.
""",
        "title_en": "Privacy notice",
        "body_en": """\
The city of {city_name} runs this platform to collect project ideas for its Smart City
strategy.

## What we store
Your email address and password (as a secure hash) for your account; your display name,
which is shown with your ideas; your ideas with their images, from which we remove location
data and other metadata; the time and version of your consent.

## Who sees what
Submitted ideas are public with your display name. Your email address and your real name are
never shown publicly; only the city's editorial staff can see them, to contact you about
your idea.

## Where your data stays
All data stays on the city's servers. Without your consent this website loads nothing from
other hosts: no fonts, no scripts, no tracking.

## Map
The map of ideas shows map tiles from OpenStreetMap only after you have explicitly agreed.
Only then does your browser load the tiles from the servers of the OpenStreetMap Foundation,
which receive your IP address. Without your consent nothing is loaded from there.

## How long we keep data
- We keep your account and your ideas until you delete your account.
- The name, address, phone number and email address of people who handed in an idea on
  paper, by post, by phone or at an event are deleted {analog_retention_days} days after the
  call ends or after the feedback on their idea is published, whichever is later.
- Ended or never confirmed subscriptions are deleted after {unsubscribed_retention_days} days.
- Names and email addresses of event registrations are deleted {event_retention_days} days
  after the event.

## Your rights
You can access, correct and delete your data, and withdraw your consent, at any time. Please
contact the city's data protection officer.

On the page "My account" you can download all data we store about you as a file yourself
(art. 15 and 20 GDPR) and delete your account yourself (art. 17 GDPR). When you delete it,
we remove your personal data; your submitted ideas stay public and are shown as by a "former
member", your drafts are deleted.
""",
    },
    "imprint": {
        "title_de": "Impressum",
        "body_de": "Herausgegeben von der Stadt {city_name}.\n",
        "title_en": "Imprint",
        "body_en": "Published by the city of {city_name}.\n",
    },
    "accessibility": {
        "title_de": "Erklärung zur Barrierefreiheit",
        "body_de": """\
Diese Website soll die Anforderungen der WCAG 2.1 (Stufe AA) und der BITV 2.0 erfüllen. Sie
ist mit dem Designsystem KERN UX gebaut und jede öffentliche Seite wird automatisch mit
axe-core geprüft.

Wenn Sie auf eine Barriere stoßen, teilen Sie uns das bitte mit: Die Stadt antwortet
innerhalb von zwei Wochen.
""",
        "title_en": "Accessibility statement",
        "body_en": """\
This website aims to meet WCAG 2.1 level AA and BITV 2.0. It is built with the KERN UX
design system and every public page is checked automatically with axe-core.

If you find a barrier, please tell us: the city will answer within two weeks.
""",
    },
    "netiquette": {
        "title_de": "Netiquette",
        "body_de": """\
Die Diskussion der Ideen lebt von einem respektvollen Umgang. Bitte beachten Sie:

- Bleiben Sie sachlich und beim Thema der Idee.
- Keine Beleidigungen, keine Diskriminierung, keine Drohungen.
- Keine Werbung und keine wiederholten gleichen Beiträge.
- Keine personenbezogenen Daten anderer Menschen (Namen, Adressen, Telefonnummern).

Beiträge, die dagegen verstoßen, kann die Redaktion ausblenden; die Verfasserin oder der
Verfasser erfährt den Grund. Wer wiederholt verstößt, kann zeitweise von der Diskussion
ausgeschlossen werden. Über die Schaltfläche „Melden“ können Sie uns auf Beiträge hinweisen.
""",
        "title_en": "Netiquette",
        "body_en": """\
The discussion of ideas lives on respect. Please:

- Stay factual and on the idea's topic.
- No insults, no discrimination, no threats.
- No advertising and no repeated identical posts.
- No personal data of other people (names, addresses, phone numbers).

Editors may hide posts that break these rules; the author is told why. Whoever breaks them
repeatedly may be excluded from the discussion for a time. Use "Report" to point us to a post.
""",
    },
}


def page_ensure(slug: str, *, model):
    """The page with this slug, created with its first text if its row is missing (by the
    data migration, with its historical model). Returns None for an unknown slug."""
    if slug not in PAGES:
        return None
    page, _created = model.objects.get_or_create(slug=slug, defaults=PAGES[slug])
    return page
