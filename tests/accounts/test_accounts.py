import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.adapter import AccountAdapter
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
    assert response["Location"] == reverse("account_email_verification_sent")
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


PASSWORD = "Sehr-geheim-2026"


def login(client, address: str, password: str, email: str = "ziel@example.org"):
    return client.post(
        reverse("account_login"),
        {"login": email, "password": password},
        REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE="de",
    )


def refused_as_too_many(response) -> bool:
    with translation.override("de"):
        message = str(AccountAdapter.error_messages["too_many_login_attempts"])
    return response.status_code == 200 and message in response.content.decode()


def signed_in(client) -> bool:
    return client.get(reverse("ideas:my-ideas")).status_code == 200


def test_failed_logins_lock_that_address_out_of_that_account():
    UserFactory(email="ziel@example.org")
    attacker = Client()
    for n in range(5):
        response = login(attacker, "198.51.100.1", f"falsch-{n}")
        assert response.status_code == 200
        assert not refused_as_too_many(response)
    # Even the right password is refused from this address while the limit holds.
    assert refused_as_too_many(login(attacker, "198.51.100.1", PASSWORD))
    assert not signed_in(attacker)


def test_an_attacker_elsewhere_cannot_lock_the_owner_out():
    UserFactory(email="ziel@example.org")
    attacker = Client()
    for address in ("198.51.100.1", "203.0.113.7"):
        for n in range(5):
            assert not refused_as_too_many(login(attacker, address, f"falsch-{n}"))
        assert refused_as_too_many(login(attacker, address, "noch-ein-versuch"))
    owner = Client()
    response = login(owner, "192.0.2.10", PASSWORD)
    assert response.status_code == 302
    assert signed_in(owner)


def test_guessing_from_many_addresses_meets_the_accounts_own_limit_and_a_reset_lets_the_owner_in(
    settings,
):
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "login_failed_account": "8/h/key",
    }
    UserFactory(email="ziel@example.org")
    attacker = Client()
    for n in range(8):
        assert not refused_as_too_many(login(attacker, f"198.51.100.{n}", f"falsch-{n}"))
    assert refused_as_too_many(login(attacker, "198.51.100.99", "falsch-99"))
    owner = Client()
    assert refused_as_too_many(login(owner, "192.0.2.10", PASSWORD))

    owner.post(
        reverse("account_reset_password"), {"email": "ziel@example.org"}, REMOTE_ADDR="192.0.2.10"
    )
    link = re.search(r"https?://[^/\s]+(/konto/password/reset/key/[^\s]+/)", mail.outbox[-1].body)
    form = owner.get(link.group(1), follow=True, REMOTE_ADDR="192.0.2.10")
    new = {"password1": "Neues-Passwort-2026", "password2": "Neues-Passwort-2026"}
    response = owner.post(form.request["PATH_INFO"], new, REMOTE_ADDR="192.0.2.10")
    assert response.status_code == 302
    response = login(owner, "192.0.2.10", "Neues-Passwort-2026")
    assert response.status_code == 302
    assert signed_in(owner)


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
