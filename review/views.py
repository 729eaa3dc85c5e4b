"""The assessors' pages and the editors' ranking."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from fields.models import ActionField
from halle_smartcity.ratelimits import write_limit
from halle_smartcity.spreadsheets import csv_response
from ideas.models import Call

from . import assessments, exports, permissions, selectors
from .forms import AssessmentForm
from .models import Assessment, Assignment

PAGE_SIZE = 20


@login_required
def assessor_list(request):
    if not permissions.can_use_assessor_pages(request.user):
        raise PermissionDenied
    paginator = Paginator(selectors.assignments_of(request.user), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request, "review/assessor_list.html", {"page": page, "assignments": page.object_list}
    )


@login_required
@write_limit
def assessment_form(request, pk):
    if not permissions.can_use_assessor_pages(request.user):
        raise PermissionDenied
    assignment = get_object_or_404(
        Assignment.objects.select_related("idea__call", "idea__primary_field"),
        pk=pk,
        assessor=request.user,
    )
    idea = assignment.idea
    existing = Assessment.objects.filter(assignment=assignment).first()
    catalogue = existing.catalogue if existing else selectors.catalogue_current(idea.call)
    if catalogue is None:
        messages.error(request, _("The call has no criteria catalogue yet."))
        return redirect("review:assessor-list")
    criteria = list(catalogue.criteria.all())
    form = AssessmentForm(request.POST or None, criteria=criteria, assessment=existing)
    if request.method == "POST" and "recuse" in request.POST:
        try:
            assessments.assignment_recuse(
                assignment=assignment,
                by=request.user,
                reason=request.POST.get("recusal_reason", ""),
            )
        except ValidationError:
            messages.error(request, _("Please name the conflict of interest."))
            return redirect("review:assessment-form", pk=pk)
        messages.success(request, _("You have recused yourself from this idea."))
        return redirect("review:assessor-list")
    if request.method == "POST" and form.is_valid() and not assignment.recused_at:
        try:
            assessments.assessment_record(
                assignment=assignment,
                by=request.user,
                values=form.values(),
                comment=form.cleaned_data["comment"],
                submit="submit" in request.POST,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect("review:assessor-list")
        else:
            messages.success(request, _("Your assessment has been saved."))
            return redirect("review:assessment-form", pk=pk)
    own_submitted = bool(existing and existing.submitted_at)
    return render(
        request,
        "review/assessment_form.html",
        {
            "assignment": assignment,
            "idea": idea,
            "form": form,
            "catalogue": catalogue,
            "submitted": own_submitted,
            # The others' scores only once one's own are in: no anchoring.
            "summary": selectors.idea_criterion_summary(idea=idea) if own_submitted else None,
        },
        status=400 if form.errors else 200,
    )


@login_required
def ranking(request, slug):
    """The editors' ranking of a call's assessed ideas, optionally per action field, as a
    page or (?format=csv) as a download."""
    if not permissions.can_view_ranking(request.user):
        raise PermissionDenied
    call = get_object_or_404(Call, slug=slug)
    field = ActionField.objects.filter(slug=request.GET.get("field", "")).first()
    rows = selectors.ranking(call=call, field=field)
    catalogue = selectors.catalogue_current(call)
    threshold = catalogue.threshold if catalogue else None
    if request.GET.get("format") == "csv":
        stamp = timezone.localdate().isoformat()
        return csv_response(
            exports.ranking_columns(),
            exports.ranking_rows(rows, threshold=threshold),
            filename=f"rangliste-{call.slug}-{stamp}.csv",
        )
    return render(
        request,
        "review/ranking.html",
        {
            "call": call,
            "field": field,
            "rows": rows,
            "fields": ActionField.objects.active(),
            "threshold": threshold,
        },
    )
