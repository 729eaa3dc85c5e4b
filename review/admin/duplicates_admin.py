"""Duplicate suggestions on an idea's admin page: score and matched words per suggestion,
"mark as duplicate" (the existing workflow) and "not a duplicate" (not suggested again)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ideas.models import Idea

from .. import duplicates, permissions


class DuplicateSuggestionsMixin:
    """For the ideas' ModelAdmin: the readonly field `similar_ideas` and its two POSTs."""

    def get_urls(self):
        urls = super().get_urls()
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/duplicates/<str:decision>/",
                view(require_POST(self.duplicate_decide)),
                name="review_idea_duplicate_decide",
            ),
            *urls,
        ]

    def duplicate_decide(self, request, pk, decision):
        if not permissions.can_triage(request.user):
            raise PermissionDenied
        idea = get_object_or_404(Idea.objects.published(), pk=pk)
        other_pk = request.POST.get("suggestion", "")
        other = get_object_or_404(
            Idea.objects.published(), pk=int(other_pk) if other_pk.isdigit() else 0
        )
        back = redirect(reverse("admin:ideas_idea_change", args=[idea.pk]))
        try:
            if decision == "mark":
                duplicates.duplicate_mark(
                    idea=idea,
                    original=other,
                    by=request.user,
                    score=request.POST.get(f"score-{other.pk}", "")[:10],
                    words=request.POST.get(f"words-{other.pk}", "")[:200],
                )
                message = _("%(idea)s is marked as a duplicate of %(other)s.")
            elif decision == "dismiss":
                duplicates.duplicate_dismiss(idea=idea, other=other, by=request.user)
                message = _("%(other)s is no longer suggested as a duplicate of %(idea)s.")
            else:
                return back
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return back
        labels = {"idea": idea.reference, "other": other.reference}
        self.message_user(request, message % labels, messages.SUCCESS)
        return back

    @staticmethod
    def _decide_url(obj, decision: str) -> str:
        return reverse("admin:review_idea_duplicate_decide", args=[obj.pk, decision])

    def similar_ideas(self, obj):
        if obj is None or not obj.pk or not obj.is_public:
            return "–"
        rows = duplicates.duplicate_suggestions(idea=obj)
        if not rows:
            return _("No similar ideas in this call.")
        # Buttons of the change form, sent elsewhere (formaction): one form, one CSRF token.
        return format_html(
            '<table class="duplicate-suggestions"><caption class="visually-hidden">{}</caption>'
            "<thead><tr><th scope='col'>{}</th><th scope='col'>{}</th><th scope='col'>{}</th>"
            "<th scope='col'>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("Similar ideas of this call"),
            _("idea"),
            _("score"),
            _("matched words"),
            _("decision"),
            format_html_join(
                "",
                "<tr><td><a href='{}'>{} {}</a></td><td>{} %</td><td>{}</td><td>"
                "<input type='hidden' name='score-{}' value='{}'>"
                "<input type='hidden' name='words-{}' value='{}'>"
                "<button type='submit' class='button' formmethod='post' formaction='{}' "
                "name='suggestion' value='{}'>{}</button> "
                "<button type='submit' class='button' formmethod='post' formaction='{}' "
                "name='suggestion' value='{}'>{}</button></td></tr>",
                (
                    (
                        reverse("admin:ideas_idea_change", args=[row.idea.pk]),
                        row.idea.reference,
                        row.idea.title,
                        round(row.score * 100),
                        ", ".join(row.words) or "–",
                        row.idea.pk,
                        round(row.score * 100),
                        row.idea.pk,
                        ", ".join(row.words),
                        self._decide_url(obj, "mark"),
                        row.idea.pk,
                        _("Mark this idea as its duplicate"),
                        self._decide_url(obj, "dismiss"),
                        row.idea.pk,
                        _("Not a duplicate"),
                    )
                    for row in rows
                ),
            ),
        )

    similar_ideas.short_description = gettext_lazy("similar ideas")
