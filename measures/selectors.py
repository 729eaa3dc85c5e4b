"""Reads of measures with their visibility rules."""

from django.db.models import QuerySet

from ideas.models import Idea

from .models import Measure


def measures_public() -> QuerySet[Measure]:
    return Measure.objects.filter(published=True, call__published=True).select_related("call")


def measures_of_idea(idea: Idea) -> list[Measure]:
    """The published measures an idea is part of (one query)."""
    return list(measures_public().filter(ideas=idea).order_by("title"))
