"""The notices app's part of a person's data: subscriptions, opt-outs and the mails sent to
their addresses (registered with accounts.personal_data)."""

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import personal_data

from .models import Notice, NoticeOptOut, Subscription
from .services import subscriptions_purge


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def export(*, user, emails: set[str]) -> dict:
    subscriptions = (
        Subscription.objects.filter(Q(user=user) | Q(email__in=emails))
        .prefetch_related("subject")
        .order_by("created_at", "id")
    )
    return {
        "subscriptions": [
            {
                "subscribed_to": str(subscription.subject),
                "email": subscription.email,
                "subscribed_at": _iso(subscription.created_at),
                "confirmed_at": _iso(subscription.confirmed_at),
                "unsubscribed_at": _iso(subscription.unsubscribed_at),
            }
            for subscription in subscriptions
        ],
        "notice_opt_outs": list(
            NoticeOptOut.objects.filter(email__in=emails)
            .order_by("kind")
            .values_list("kind", flat=True)
        ),
        "mails": [
            {
                "kind": notice.kind,
                "email": notice.email,
                "state": notice.state,
                "created_at": _iso(notice.created_at),
                "sent_at": _iso(notice.sent_at),
            }
            for notice in Notice.objects.filter(Q(recipient=user) | Q(email__in=emails))
            .order_by("created_at", "id")
            .iterator(chunk_size=1000)
        ],
    }


def erase(*, user, emails: set[str], now) -> dict[str, int]:
    """Subscriptions, mails and opt-outs of the account and its addresses go."""
    subscriptions, _by_kind = Subscription.objects.filter(
        Q(user=user) | Q(email__in=emails)
    ).delete()
    mails, _by_kind = Notice.objects.filter(Q(recipient=user) | Q(email__in=emails)).delete()
    NoticeOptOut.objects.filter(email__in=emails).delete()
    return {"subscriptions": subscriptions, "mails": mails}


personal_data.register(
    personal_data.Provider(
        name="notices",
        # After the other apps: their erasures may still withdraw or write mails.
        order=90,
        export=export,
        erase=erase,
        purge=lambda *, now: {"subscriptions": subscriptions_purge(now=now)},
        consequences=lambda *, user: [_("Your subscriptions end.")],
        counted={"subscriptions": gettext_lazy("subscriptions"), "mails": gettext_lazy("mails")},
    )
)
