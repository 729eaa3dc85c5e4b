from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from fields.models import Quarter

from .. import selectors


class AssessorFilter(admin.SimpleListFilter):
    title = _("assessor")
    parameter_name = "assessor"

    def lookups(self, request, model_admin):
        return [(str(user.pk), user.public_name) for user in selectors.assessors()]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(assignments__assessor_id=int(self.value()))
        return queryset


class ScoreFilter(admin.SimpleListFilter):
    title = _("weighted score")
    parameter_name = "score"
    RANGES = {"lt2": (None, 2), "2to3": (2, 3), "3to4": (3, 4), "ge4": (4, None)}

    def lookups(self, request, model_admin):
        return [
            ("none", _("not assessed")),
            ("lt2", "< 2"),
            ("2to3", "2 – 3"),
            ("3to4", "3 – 4"),
            ("ge4", "≥ 4"),
            ("ko", _("knock-out failed")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "none":
            return queryset.filter(score__isnull=True)
        if value == "ko":
            return queryset.filter(knockout_failed=True)
        if value in self.RANGES:
            low, high = self.RANGES[value]
            if low is not None:
                queryset = queryset.filter(score__gte=low)
            if high is not None:
                queryset = queryset.filter(score__lt=high)
        return queryset


class NeedsMyAssessmentFilter(admin.SimpleListFilter):
    title = _("my assessments")
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("open", _("needs my assessment"))]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(
                assignments__assessor=request.user, assignments__recused_at__isnull=True
            ).exclude(
                assignments__assessment__submitted_at__isnull=False,
                assignments__assessor=request.user,
            )
        return queryset


class QuarterFilter(admin.SimpleListFilter):
    title = _("quarter")
    parameter_name = "quarter"

    def lookups(self, request, model_admin):
        return [(quarter.code, str(quarter)) for quarter in Quarter.objects.filter(active=True)]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(quarters__code=self.value())
        return queryset
