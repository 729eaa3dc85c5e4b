import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "display_name": "Saaleschwimmer",
    "email": "neu@example.org",
    "password1": "Lange-Passphrase-2026",
    "password2": "Lange-Passphrase-2026",
}


def confirmation_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/konto/confirm-email/[^\s]+/)", message.body).group(1)


def test_signup_needs_email_confirmation_before_login(client):
    response = client.post(reverse("account_signup"), SIGNUP)
    assert response.status_code == 302
    user = User.objects.get(email="neu@example.org")
    assert user.display_name == "Saaleschwimmer"
    assert len(mail.outbox) == 1
    # Not logged in until the address is confirmed.
    assert client.get(reverse("ideas:my-ideas")).status_code == 302

    link = confirmation_link(mail.outbox[0])
    assert client.get(link).status_code == 200  # a page with a confirm button, not a GET action
    assert not EmailAddress.objects.get(email="neu@example.org").verified
    client.post(link)
    assert EmailAddress.objects.get(email="neu@example.org").verified
    assert client.get(reverse("ideas:my-ideas")).status_code == 200


def test_unverified_account_cannot_log_in(client):
    UserFactory(email="offen@example.org", verified=False)
    response = client.post(
        reverse("account_login"), {"login": "offen@example.org", "password": "Sehr-geheim-2026"}
    )
    assert response.status_code == 302
    assert "confirm-email" in response["Location"] or "verification" in response["Location"]
    assert client.get(reverse("ideas:my-ideas")).status_code == 302


def test_login_by_email_and_logout(client):
    UserFactory(email="da@example.org")
    response = client.post(
        reverse("account_login"), {"login": "DA@example.org", "password": "Sehr-geheim-2026"}
    )
    assert response.status_code == 302
    assert client.get(reverse("ideas:my-ideas")).status_code == 200
    client.post(reverse("account_logout"))
    assert client.get(reverse("ideas:my-ideas")).status_code == 302


def test_display_name_must_be_unique_ignoring_case(client):
    UserFactory(display_name="Saaleschwimmer")
    response = client.post(
        reverse("account_signup"),
        {**SIGNUP, "display_name": "saaleSCHWIMMER"},
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 200
    assert "bereits vergeben" in response.content.decode()
    assert not User.objects.filter(email="neu@example.org").exists()


def test_signup_errors_keep_what_was_typed(client):
    response = client.post(reverse("account_signup"), {**SIGNUP, "password2": "anders"})
    page = response.content.decode()
    assert 'value="neu@example.org"' in page
    assert 'value="Saaleschwimmer"' in page
    assert 'id="error-summary"' in page


def test_password_reset_sends_a_mail(client):
    UserFactory(email="vergesslich@example.org")
    client.post(reverse("account_reset_password"), {"email": "vergesslich@example.org"})
    assert len(mail.outbox) == 1
    assert "vergesslich@example.org" in mail.outbox[0].to


def test_change_email_needs_confirmation_of_the_new_address(client):
    user = UserFactory(email="alt@example.org")
    client.force_login(user)
    client.post(reverse("account_email"), {"action_add": "", "email": "neu@example.org"})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["neu@example.org"]
    assert EmailAddress.objects.filter(user=user, email="neu@example.org", verified=False).exists()


def test_failed_logins_are_rate_limited(client):
    UserFactory(email="ziel@example.org")
    for n in range(6):
        client.post(
            reverse("account_login"), {"login": "ziel@example.org", "password": f"falsch-{n}"}
        )
    # Even the right password is refused while the limit holds.
    response = client.post(
        reverse("account_login"),
        {"login": "ziel@example.org", "password": "Sehr-geheim-2026"},
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 200
    assert "zu viele" in response.content.decode().lower()
    assert client.get(reverse("ideas:my-ideas")).status_code == 302


def test_profile_changes_display_name_and_refuses_taken_one(client):
    UserFactory(display_name="Vergeben")
    user = UserFactory(display_name="Alt")
    client.force_login(user)
    data = {"display_name": "Vergeben", "first_name": "", "last_name": "", "language": "de"}
    assert client.post(reverse("accounts:profile"), data).status_code == 200
    user.refresh_from_db()
    assert user.display_name == "Alt"
    data["display_name"] = "Neu"
    assert client.post(reverse("accounts:profile"), data).status_code == 302
    user.refresh_from_db()
    assert user.display_name == "Neu"


def test_profile_needs_login(client):
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_staff_without_two_factor_are_sent_to_set_it_up(client, settings):
    from allauth.mfa.models import Authenticator
    from django.contrib.auth.models import Group

    settings.MITMACHEN_STAFF_REQUIRE_MFA = True
    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name="Redaktion"))
    client.force_login(editor)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    Authenticator.objects.create(user=editor, type=Authenticator.Type.TOTP, data={})
    assert client.get(reverse("admin:index")).status_code == 200
    # Citizens are not affected.
    client.force_login(UserFactory())
    assert client.get(reverse("ideas:my-ideas")).status_code == 200
