from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from . import ics, permissions, selectors, services
from .filters import EventFilter
from .forms import RegistrationForm
from .models import Event, Registration

PAGE_SIZE = 20
TIMELINE_PAGE_SIZE = 50


def event_list(request, when: str = "upcoming"):
    events = selectors.event_list(user=request.user, when=when)
    event_filter = EventFilter(request.GET, queryset=events)
    if not event_filter.is_valid():
        # Drop only what was not understood; keep the rest of the filters.
        messages.error(request, _("Some filters were not understood and have been ignored."))
        data = request.GET.copy()
        for name in event_filter.errors:
            data.pop(name, None)
        event_filter = EventFilter(data, queryset=events)
    page = Paginator(event_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "events/event_list.html",
        {
            "filter": event_filter,
            "page": page,
            "events": page.object_list,
            "when": when,
            "now": timezone.now(),
        },
    )


def _detail(request, event: Event, *, form: RegistrationForm | None = None, status: int = 200):
    user = request.user
    account = user if user.is_authenticated else None
    registration = selectors.registration_of(event=event, user=user)
    now = timezone.now()
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "registration": registration,
            "position": selectors.waiting_position(registration) if registration else None,
            "form": form or RegistrationForm(account=account),
            "refusal": services.registration_refusal(event=event, now=now),
            "seats_left": services.seats_left(capacity=event.capacity, taken=event.seats_taken),
            "show_online_link": permissions.can_see_online_link(user, event, registration),
            "login_url": reverse("account_login")
            + "?"
            + urlencode({"next": event.get_absolute_url()}),
            "now": now,
        },
        status=status,
    )


def event_detail(request, slug):
    return _detail(request, selectors.event_detail(slug=slug, user=request.user))


def _registered_message(request, registration: Registration) -> None:
    if registration.is_confirmed:
        messages.success(
            request,
            _("Your place is confirmed. We have sent you an email with the calendar file."),
        )
    elif registration.is_waitlisted:
        messages.info(
            request,
            _(
                "The event is fully booked: you are number %(position)d on the waiting list. "
                "We will tell you by email as soon as a place becomes free."
            )
            % {"position": selectors.waiting_position(registration)},
        )


@ratelimit(key="user_or_ip", rate="20/h", method="POST", block=True)
@require_POST
def event_register(request, slug):
    event = selectors.event_detail(slug=slug, user=request.user)
    account = request.user if request.user.is_authenticated else None
    form = RegistrationForm(request.POST, account=account)
    if not form.is_valid():
        return _detail(request, event, form=form, status=400)
    try:
        registration = services.registration_request(
            event=event,
            name=form.cleaned_data["name"],
            email=form.cleaned_data.get("email", ""),
            user=request.user,
            language=translation.get_language() or "de",
        )
    except services.AlreadyRegistered as error:
        messages.info(request, error.message)
        return redirect(event)
    except services.RegistrationRefused as error:
        messages.error(request, error.message)
        return redirect(event)
    except ValidationError as error:
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
        return _detail(request, event, form=form, status=400)
    if account is None:
        # The same answer whether or not the address was known: nobody learns who registered.
        messages.success(
            request,
            _(
                "Please check your inbox: we have sent you a link to confirm your "
                "registration. Only then is it complete."
            ),
        )
    else:
        _registered_message(request, registration)
    return redirect(event)


@login_required
@require_POST
def event_unregister(request, slug):
    event = selectors.event_detail(slug=slug, user=request.user)
    registration = selectors.registration_of(event=event, user=request.user)
    if registration is None or registration.status == "cancelled":
        messages.info(request, _("You are not registered for this event."))
        return redirect(event)
    try:
        services.registration_cancel(registration=registration, by=request.user)
    except services.RegistrationRefused as error:
        messages.error(request, error.message)
        return redirect(event)
    messages.success(request, _("Your registration has been cancelled."))
    return redirect(event)


def _invalid_link(request):
    return render(request, "events/registration_invalid.html", status=404)


def registration_manage(request, token):
    registration = selectors.registration_by_token(token=token)
    if registration is None:
        return _invalid_link(request)
    event = registration.event
    now = timezone.now()
    return render(
        request,
        "events/registration_manage.html",
        {
            "registration": registration,
            "event": event,
            "position": selectors.waiting_position(registration),
            "show_online_link": permissions.can_see_online_link(request.user, event, registration),
            "can_cancel": registration.status != "cancelled"
            and (event.is_cancelled or not event.has_started(now)),
            "now": now,
        },
    )


@require_POST
def registration_confirm(request, token):
    try:
        registration = services.registration_confirm(token=token)
    except services.RegistrationRefused as error:
        if error.code == "invalid":
            return _invalid_link(request)
        messages.error(request, error.message)
        return redirect("events:registration-manage", token=token)
    _registered_message(request, registration)
    return redirect("events:registration-manage", token=token)


@require_POST
def registration_cancel(request, token):
    try:
        services.registration_cancel_by_token(token=token)
    except services.RegistrationRefused as error:
        if error.code == "invalid":
            return _invalid_link(request)
        messages.error(request, error.message)
        return redirect("events:registration-manage", token=token)
    messages.success(request, _("Your registration has been cancelled."))
    return redirect("events:registration-manage", token=token)


def event_ics(request, slug):
    event = selectors.event_detail(slug=slug, user=request.user)
    response = HttpResponse(ics.event_ics(event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{ics.ics_filename(event)}"'
    return response


def event_feed(request):
    content = ics.feed_ics(selectors.feed_events(), language=translation.get_language())
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="veranstaltungen.ics"'
    response["Cache-Control"] = "public, max-age=900"
    return response


def timeline(request):
    page = Paginator(selectors.milestone_list(), TIMELINE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "events/timeline.html",
        {
            "page": page,
            "steps": selectors.timeline(page.object_list),
            "publications": selectors.publication_list()[:5],
        },
    )


def publication_list(request):
    page = Paginator(selectors.publication_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "events/publication_list.html",
        {"page": page, "publications": page.object_list},
    )
