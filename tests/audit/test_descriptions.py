"""Staff read the audit log in German: every action the code writes with details has a
sentence for them, and the idea's change page shows those sentences, not codes."""

import ast
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation

from accounts import personal_data
from accounts import services as account_services
from accounts.audit_actions import OWN_COUNTS
from audit import registry
from audit.models import AuditEntry
from audit.selectors import entry_description
from ideas.models import Status
from review import services as triage
from tests.factories import IdeaFactory, QuarterFactory, UserFactory, action_field
from tests.test_architecture import modules

WRITERS = {"audit_write", "save_audited", "delete_audited"}
NOT_DETAILS = {"action", "by", "subject"}


def _patterns(node: ast.expr) -> list[str]:
    """The action codes an `action=` argument can name, as regular expressions."""
    if isinstance(node, ast.Constant):
        return [re.escape(node.value)]
    if isinstance(node, ast.IfExp):
        return _patterns(node.body) + _patterns(node.orelse)
    if isinstance(node, ast.JoinedStr):
        parts = [
            re.escape(part.value) if isinstance(part, ast.Constant) else r"[a-z_.]+"
            for part in node.values
        ]
        return ["".join(parts)]
    raise AssertionError(f"An action code the scan cannot read: {ast.unparse(node)}")


def written_with_details() -> dict[str, str]:
    """Every registered action some call writes with details, and where."""
    codes = [action.code for action in registry.actions()]
    found = {}
    for path in modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in WRITERS:
                continue
            keywords = {keyword.arg: keyword.value for keyword in node.keywords}
            if "action" not in keywords or set(keywords) <= NOT_DETAILS:
                continue
            for pattern in _patterns(keywords["action"]):
                for code in codes:
                    if re.fullmatch(pattern, code) and not code.endswith(".created"):
                        found[code] = f"{path.name}:{node.lineno}"
    return found


def test_every_action_written_with_details_has_a_sentence_for_them(db):
    written = written_with_details()
    # The scan reads the services: status changes, field lists, erasures, f-string codes.
    assert {
        "review.idea.status_changed",
        "ideas.idea.edited_by_author",
        "accounts.user.erased",
        "fields.quarter.changed",
        "events.milestone.deleted",
    } <= set(written)
    without = {
        code: where for code, where in written.items() if registry.action(code).describe is None
    }
    assert without == {}


@pytest.fixture
def editor(db, client):
    user = UserFactory(is_staff=True, display_name="Redakteurin Rot")
    user.groups.add(Group.objects.get(name="Redaktion"))
    client.force_login(user)
    return user


def test_the_ideas_change_page_shows_the_log_as_german_sentences(client, editor):
    idea = IdeaFactory(summary="Alt")
    triage.idea_transition(idea=idea, to=Status.SCREENED, by=editor, reason="vollständig")
    idea.refresh_from_db()
    triage.idea_edit_by_staff(
        idea=idea, by=editor, changes={"summary": "Neu"}, expected_version=idea.version
    )
    triage.idea_sorting_set(
        idea=idea,
        action_fields=[action_field("bildung")],
        quarters=[QuarterFactory(name="Altstadt")],
        by=editor,
    )

    page = client.get(
        reverse("admin:ideas_idea_change", args=[idea.pk]), HTTP_ACCEPT_LANGUAGE="de"
    ).content.decode()
    log = re.findall(r"<li>(\d\d\.\d\d\.\d{4} \d\d:\d\d – .*?)</li>", page)

    assert [entry.split(" – ", 2)[2] for entry in log] == [
        "Handlungsfelder und Stadtteile geändert: Handlungsfelder: Bildung; Stadtteile: Altstadt",
        "Idee von der Redaktion bearbeitet: Geändert: Zusammenfassung",
        "Status geändert: Von „Eingereicht“ zu „Gesichtet“: vollständig",
    ]
    assert all(entry.split(" – ")[1] == "Redakteurin Rot" for entry in log)


def test_an_erasure_is_described_by_what_was_removed_in_german(db):
    person = UserFactory()
    IdeaFactory(author=person, status=Status.DRAFT)
    account_services.user_erase(user=person)
    entry = AuditEntry.objects.get(action="accounts.user.erased")
    assert entry.data["drafts"] == 1
    with translation.override("de"):
        sentence = entry_description(entry)
    assert "Entwürfe: 1" in sentence
    assert "Abonnements: 0" in sentence
    assert re.search(r"\b[a-z]+_[a-z]+\b", sentence) is None  # no code names left


def test_every_count_an_erasure_or_purge_names_has_a_label(db):
    counts = account_services.user_erase(user=UserFactory())
    counts |= account_services.personal_data_purge()
    labelled = {name for provider in personal_data.providers() for name in provider.counted}
    assert len(counts) >= 8
    assert set(counts) - labelled - set(OWN_COUNTS) == set()
