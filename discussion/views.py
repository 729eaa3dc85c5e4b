"""The discussion's endpoints: each parses the POST, calls one service and goes back to the
idea's page with a message saying what happened (the count is in it, for screen readers)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ideas.models import Idea

from . import comments, following, moderation, permissions, selectors, services
from .forms import CommentForm, ReportForm
from .models import Comment
from .ratelimits import comment_limit, report_limit, support_limit


def _idea(pk: int) -> Idea:
    # Drafts are as good as absent (as on the idea's page).
    return get_object_or_404(Idea.objects.published().select_related("call"), pk=pk)


def _back(idea: Idea, anchor: str):
    return redirect(f"{idea.get_absolute_url()}#{anchor}")


def _answer(request, idea: Idea, level: int, message: str):
    """The support box alone (for the page's script, which asked for JSON), or the idea's
    page with the message (without JavaScript)."""
    if "application/json" in request.headers.get("Accept", ""):
        box = selectors.support_box(idea=idea, user=request.user)
        html = render_to_string(
            "discussion/includes/support.html",
            {"idea": idea, "message": message, **box},
            request,
        )
        return JsonResponse({"html": html, "count": box["count"]})
    messages.add_message(request, level, message)
    return _back(idea, "unterstuetzen")


def _count_sentence(count: int) -> str:
    return ngettext(
        "The idea now has %(count)d support.", "The idea now has %(count)d supports.", count
    ) % {"count": count}


def _support_change(request, pk, change, done: str, unchanged: str):
    """Support or withdraw (`change`, a service answering whether anything changed)."""
    idea = _idea(pk)
    try:
        changed = change(idea=idea, by=request.user)
    except PermissionDenied as error:
        return _answer(request, idea, messages.ERROR, str(error))
    idea.refresh_from_db()
    if changed:
        message = done + " " + _count_sentence(idea.support_count)
        return _answer(request, idea, messages.SUCCESS, message)
    return _answer(request, idea, messages.INFO, unchanged)


@require_POST
@login_required
@support_limit
def support(request, pk):
    return _support_change(
        request,
        pk,
        services.support_add,
        _("Thank you for your support."),
        _("You already support this idea."),
    )


@require_POST
@login_required
@support_limit
def support_withdraw(request, pk):
    return _support_change(
        request,
        pk,
        services.support_withdraw,
        _("Your support has been withdrawn."),
        _("You did not support this idea."),
    )


# --- Comments ------------------------------------------------------------------------------


def _form_errors(form) -> str:
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


def _service_errors(error: ValidationError) -> str:
    return " ".join(error.messages)


@require_POST
@login_required
@comment_limit
def comment(request, pk):
    """A new comment or reply. A refused one comes back on its own page with the text, so
    nothing written is lost."""
    idea = _idea(pk)
    moderator = permissions.can_moderate(request.user)
    form = CommentForm(request.POST, may_answer_officially=moderator)
    parent = None
    if request.POST.get("parent"):
        parent = Comment.objects.filter(
            pk=request.POST["parent"] if request.POST["parent"].isdigit() else 0, idea=idea
        ).first()
        if parent is None:
            messages.error(request, _("The comment you replied to does not exist."))
            return _back(idea, "kommentare")
    problem = None
    if form.is_valid():
        try:
            created = comments.comment_create(
                idea=idea,
                by=request.user,
                text=form.cleaned_data["text"],
                parent=parent,
                official=form.cleaned_data.get("official", False),
            )
        except PermissionDenied as error:
            messages.error(request, str(error))
            return _back(idea, "kommentare")
        except ValidationError as error:
            problem = _service_errors(error)
        else:
            if created.pending:
                messages.success(
                    request,
                    _("Thank you. Your comment will be shown once the editors approved it."),
                )
            else:
                messages.success(request, _("Your comment has been published."))
            return _back(idea, f"kommentar-{created.pk}")
    else:
        problem = _form_errors(form)
    return render(
        request,
        "discussion/comment_form.html",
        {"idea": idea, "form": form, "parent": parent, "problem": problem},
        status=400,
    )


def _own_comment(request, pk) -> Comment:
    return get_object_or_404(
        Comment.objects.select_related("idea__call"), pk=pk, author=request.user
    )


@login_required
@comment_limit
def comment_edit(request, pk):
    comment = _own_comment(request, pk)
    if not permissions.can_edit_comment(request.user, comment):
        messages.error(
            request,
            _("This comment can no longer be changed (only within %(minutes)s minutes).")
            % {"minutes": permissions.EDIT_WINDOW_MINUTES},
        )
        return _back(comment.idea, f"kommentar-{comment.pk}")
    form = CommentForm(request.POST or None, initial={"text": comment.text})
    problem = None
    if request.method == "POST":
        if form.is_valid():
            try:
                comments.comment_edit(
                    comment=comment, by=request.user, text=form.cleaned_data["text"]
                )
            except PermissionDenied as error:
                messages.error(request, str(error))
                return _back(comment.idea, f"kommentar-{comment.pk}")
            except ValidationError as error:
                problem = _service_errors(error)
            else:
                messages.success(request, _("Your comment has been changed."))
                return _back(comment.idea, f"kommentar-{comment.pk}")
        else:
            problem = _form_errors(form)
    return render(
        request,
        "discussion/comment_form.html",
        {"idea": comment.idea, "form": form, "comment": comment, "problem": problem},
        status=400 if problem else 200,
    )


@login_required
def comment_delete(request, pk):
    comment = _own_comment(request, pk)
    if request.method == "POST":
        try:
            comments.comment_delete(comment=comment, by=request.user)
        except PermissionDenied as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your comment has been deleted."))
        return _back(comment.idea, f"kommentar-{comment.pk}")
    return render(request, "discussion/comment_delete.html", {"comment": comment})


# --- Following -----------------------------------------------------------------------------


@require_POST
@login_required
def follow(request, pk):
    idea = _idea(pk)
    try:
        following.idea_follow(idea=idea, by=request.user)
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("You now follow this idea."))
    return _back(idea, "kommentare")


@require_POST
@login_required
def unfollow(request, pk):
    idea = _idea(pk)
    following.idea_unfollow(idea=idea, by=request.user)
    messages.success(request, _("You no longer follow this idea."))
    return _back(idea, "kommentare")


# --- Reports -------------------------------------------------------------------------------


def _report(request, *, idea, comment=None):
    form = ReportForm(request.POST or None)
    problem = None
    if request.method == "POST":
        if form.is_valid():
            try:
                moderation.report_create(
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                    idea=idea if comment is None else None,
                    comment=comment,
                )
            except PermissionDenied as error:
                messages.error(request, str(error))
                return _back(idea, f"kommentar-{comment.pk}" if comment else "unterstuetzen")
            except ValidationError as error:
                problem = _service_errors(error)
            else:
                messages.success(request, _("Thank you. The editors will look at your report."))
                return _back(idea, f"kommentar-{comment.pk}" if comment else "unterstuetzen")
        else:
            problem = _form_errors(form)
    return render(
        request,
        "discussion/report_form.html",
        {"idea": idea, "comment": comment, "form": form, "problem": problem},
        status=400 if problem else 200,
    )


@login_required
@report_limit
def comment_report(request, pk):
    comment = get_object_or_404(
        Comment.objects.select_related("idea__call").filter(
            idea__in=Idea.objects.published(), deleted_at__isnull=True, pending=False
        ),
        pk=pk,
    )
    return _report(request, idea=comment.idea, comment=comment)


@login_required
@report_limit
def idea_report(request, pk):
    return _report(request, idea=_idea(pk))
