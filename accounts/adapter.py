import ipaddress

from allauth import app_settings as allauth_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import ratelimit
from django.utils import translation
from django.utils.translation import gettext_lazy as _

# Failed logins are limited three ways (ACCOUNT_RATE_LIMITS): per address ("login_failed",
# allauth's own), per address and account together (ADDRESS_AND_ACCOUNT), so that failures
# from other addresses never lock the owner out, and per account from anywhere
# (ACCOUNT_WIDE), a slower limit against guessing from many addresses. A password reset
# clears the account's limits: the owner gets in through the link in the mail.
ADDRESS_AND_ACCOUNT = "login_failed_address_account"
ACCOUNT_WIDE = "login_failed_account"


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": _(
            "Too many failed login attempts. Please try again later, or set a new password "
            "with “Forgot your password?”."
        ),
    }

    def send_mail(self, template_prefix, email, context):
        # Mails go out in the recipient's language where we know it.
        user = context.get("user")
        language = getattr(user, "language", None) or translation.get_language()
        with translation.override(language):
            super().send_mail(template_prefix, email, context)

    def _address(self, request) -> str:
        """The client's address as allauth's per-address limit counts it: an IPv6 client by
        its network (one household or server has a whole /64)."""
        address = self.get_client_ip(request)
        try:
            parsed = ipaddress.ip_address(address)
        except ValueError:
            return address
        if parsed.version == 6:
            prefix = allauth_settings.RATE_LIMIT_IPV6_PREFIX
            return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False).network_address)
        return address

    def _login_limits(self, request, credentials) -> dict[str, str]:
        account = (credentials.get("email") or credentials.get("username") or "").lower()
        return {
            ADDRESS_AND_ACCOUNT: f"{account}|{self._address(request)}",
            ACCOUNT_WIDE: account,
        }

    def pre_authenticate(self, request, **credentials):
        """Refuse a login while one of the limits on failures holds (even with the right
        password: the attempt cannot be told from a guess)."""
        super().pre_authenticate(request, **credentials)
        for action, key in self._login_limits(request, credentials).items():
            if not ratelimit.consume(request, action=action, key=key, dry_run=True):
                raise self.validation_error("too_many_login_attempts")

    def authentication_failed(self, request, **credentials):
        """Count the failure against the address and account, and the account."""
        super().authentication_failed(request, **credentials)
        for action, key in self._login_limits(request, credentials).items():
            ratelimit.consume(request, action=action, key=key)

    def _delete_login_attempts_cached_email(self, request, **credentials):
        # Called by allauth after a successful password reset, once per address of the
        # account: the owner proved access to the mailbox, so the account's locks go.
        super()._delete_login_attempts_cached_email(request, **credentials)
        for action, key in self._login_limits(request, credentials).items():
            ratelimit.clear(request, action=action, key=key)
