"""The signed token of a mail's unsubscribe link: the address, the kind and the
subscription it came from. Unchanged since the first mails went out, so old links work."""

from django.core import signing

UNSUBSCRIBE_SALT = "mitmachen.unsubscribe"


def unsubscribe_token(notice) -> str:
    return signing.dumps(
        [notice.email, notice.kind, notice.subscription_id], salt=UNSUBSCRIBE_SALT
    )


def unsubscribe_read(token: str) -> tuple[str, str, int | None]:
    """Raises signing.BadSignature for a tampered token."""
    email, kind, subscription_id = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    return email, kind, subscription_id
