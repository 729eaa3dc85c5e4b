"""The JSON shapes of the open-data API. Each names its fields explicitly: a field added to a
model never reaches the public by itself (the submitter's data must never leave)."""

from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from events.models import Event, EventFormat, EventKind
from fields.models import ActionField, Quarter
from ideas.models import Call, CallExtension, Idea, Status
from measures.models import (
    CostRange,
    Indicator,
    Measure,
    MeasureStatus,
    MeasureUpdate,
    Milestone,
)


def german_labels(choices) -> dict[str, str]:
    """Labels of a TextChoices in German: the data reads the same whatever the client's
    language."""
    with translation.override("de"):
        return {value: str(label) for value, label in choices.choices}


def absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


class AbsoluteUrlField(serializers.Field):
    """The address of the object's public web page."""

    def __init__(self, **kwargs):
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return absolute(self.context.get("request"), value.get_absolute_url())


extend_schema_field(OpenApiTypes.URI)(AbsoluteUrlField)


class FieldRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActionField
        fields = ["slug", "name"]


class QuarterRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Quarter
        fields = ["code", "name"]


class MeasureRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Measure
        fields = ["slug", "title"]


class LocationSerializer(serializers.Serializer):
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()


class IdeaSerializer(serializers.ModelSerializer):
    call = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    primary_field = FieldRefSerializer(read_only=True, allow_null=True)
    action_fields = FieldRefSerializer(many=True, read_only=True)
    quarters = QuarterRefSerializer(many=True, read_only=True)
    status = serializers.ChoiceField(choices=Status.choices, read_only=True)
    status_label = serializers.SerializerMethodField(help_text="The status in German.")
    feedback = serializers.SerializerMethodField(
        help_text="The city's public feedback; null until it is published."
    )
    submitted_at = serializers.DateTimeField(read_only=True)
    location = serializers.SerializerMethodField(
        help_text="A point in WGS 84, or null when the idea has none."
    )
    measures = MeasureRefSerializer(
        source="public_measures",
        many=True,
        read_only=True,
        help_text="Published measures the idea is part of.",
    )
    support_count = serializers.IntegerField(
        read_only=True, help_text="How many accounts support the idea."
    )
    comment_count = serializers.IntegerField(
        read_only=True,
        help_text="Published comments and replies (deleted and hidden ones not counted).",
    )
    support_threshold_reached = serializers.SerializerMethodField(
        help_text="Whether the idea reached its call's threshold of supports."
    )
    url = AbsoluteUrlField()

    class Meta:
        model = Idea
        fields = [
            "id",
            "reference",
            "title",
            "summary",
            "description",
            "call",
            "primary_field",
            "action_fields",
            "quarters",
            "whole_city",
            "status",
            "status_label",
            "feedback",
            "submitted_at",
            "location",
            "measures",
            "support_count",
            "comment_count",
            "support_threshold_reached",
            "url",
        ]

    def status_labels(self) -> dict[str, str]:
        if "status_labels" not in self.context:
            self.context["status_labels"] = german_labels(Status)
        return self.context["status_labels"]

    def get_status_label(self, idea) -> str:
        return self.status_labels()[idea.status]

    def get_support_threshold_reached(self, idea) -> bool:
        return idea.support_threshold_reached_at is not None

    def get_feedback(self, idea) -> str | None:
        return idea.feedback if idea.feedback_published_at is not None else None

    @extend_schema_field(LocationSerializer(allow_null=True))
    def get_location(self, idea) -> dict | None:
        if not idea.has_location:
            return None
        return {"latitude": float(idea.latitude), "longitude": float(idea.longitude)}


class CallExtensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = CallExtension
        fields = ["old_deadline", "new_deadline", "reason", "created_at"]


class CallSerializer(serializers.ModelSerializer):
    closes_at = serializers.DateTimeField(
        read_only=True, help_text="The deadline as first announced."
    )
    deadline = serializers.DateTimeField(
        read_only=True, help_text="The deadline in force (after any extensions)."
    )
    is_open = serializers.SerializerMethodField()
    extensions = CallExtensionSerializer(many=True, read_only=True)
    url = AbsoluteUrlField()

    class Meta:
        model = Call
        fields = [
            "slug",
            "title",
            "teaser",
            "description",
            "opens_at",
            "closes_at",
            "deadline",
            "is_open",
            "extensions",
            "url",
        ]

    def get_is_open(self, call) -> bool:
        return call.is_open()


class FieldSerializer(serializers.ModelSerializer):
    idea_count = serializers.IntegerField(
        read_only=True,
        help_text="Published ideas tagged with this action field (an idea in several "
        "fields counts in each), as `/api/v1/ideas/?field=<slug>` finds them.",
    )

    class Meta:
        model = ActionField
        fields = ["slug", "name", "description", "colour", "order", "idea_count"]


class QuarterSerializer(serializers.ModelSerializer):
    district = serializers.CharField(source="district.name", read_only=True)
    kind = serializers.ChoiceField(choices=Quarter.Kind.choices, read_only=True)
    idea_count = serializers.IntegerField(
        read_only=True, help_text="Published ideas that name this quarter."
    )

    class Meta:
        model = Quarter
        fields = ["code", "name", "district", "kind", "part_of", "active", "idea_count"]


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["title", "due", "reached_on"]


class IndicatorSerializer(serializers.ModelSerializer):
    target = serializers.FloatField(read_only=True, allow_null=True)
    current = serializers.FloatField(read_only=True, allow_null=True)

    class Meta:
        model = Indicator
        fields = ["name", "unit", "target", "current"]


class MeasureUpdateSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(
        choices=MeasureStatus.choices,
        allow_blank=True,
        help_text="The status the measure moved to; empty for news without a change.",
    )

    class Meta:
        model = MeasureUpdate
        fields = ["published_at", "status", "text"]


class SourceSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="idea_id", help_text="The idea's id.")
    reference = serializers.CharField(source="idea.reference")
    contribution = serializers.CharField(help_text="What the idea brought into the measure.")


class MeasureSerializer(serializers.ModelSerializer):
    call = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    action_fields = FieldRefSerializer(many=True, read_only=True)
    quarters = QuarterRefSerializer(
        many=True, read_only=True, help_text="Empty for a measure for the whole city."
    )
    partners = serializers.ListField(
        source="partner_list", child=serializers.CharField(), read_only=True
    )
    cost_range = serializers.ChoiceField(choices=CostRange.choices, read_only=True)
    status = serializers.ChoiceField(choices=MeasureStatus.choices, read_only=True)
    status_label = serializers.SerializerMethodField(help_text="The status in German.")
    milestones = MilestoneSerializer(many=True, read_only=True)
    indicators = IndicatorSerializer(many=True, read_only=True)
    updates = MeasureUpdateSerializer(many=True, read_only=True, help_text="Newest first.")
    ideas = serializers.SerializerMethodField(help_text="Ids of its published source ideas.")
    sources = SourceSerializer(
        source="public_sources",
        many=True,
        read_only=True,
        help_text="Its published source ideas with what each contributed.",
    )
    url = AbsoluteUrlField()

    class Meta:
        model = Measure
        fields = [
            "slug",
            "title",
            "goal",
            "description",
            "call",
            "action_fields",
            "quarters",
            "lead_department",
            "partners",
            "cost_range",
            "funding",
            "status",
            "status_label",
            "status_changed_at",
            "milestones",
            "indicators",
            "updates",
            "ideas",
            "sources",
            "url",
        ]

    def get_status_label(self, measure) -> str:
        return german_labels(MeasureStatus)[measure.status]

    def get_ideas(self, measure) -> list[int]:
        return [idea.pk for idea in measure.public_ideas]


class EventSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=EventKind.choices, read_only=True)
    format = serializers.ChoiceField(choices=EventFormat.choices, read_only=True)
    call = serializers.SerializerMethodField(help_text="The slug of its published call.")
    action_fields = FieldRefSerializer(many=True, read_only=True)
    quarters = QuarterRefSerializer(many=True, read_only=True)
    cancelled = serializers.SerializerMethodField()
    url = AbsoluteUrlField()

    class Meta:
        model = Event
        # No registrations, no seat counts, and no online access link: that link is sent
        # to registered participants only.
        fields = [
            "slug",
            "title",
            "kind",
            "format",
            "summary",
            "description",
            "starts_at",
            "ends_at",
            "venue_name",
            "venue_address",
            "accessibility_notes",
            "capacity",
            "registration_enabled",
            "registration_deadline",
            "cancelled",
            "cancelled_at",
            "cancellation_reason",
            "call",
            "action_fields",
            "quarters",
            "url",
        ]

    def get_call(self, event) -> str | None:
        # An unpublished call is not named.
        return event.call.slug if event.call and event.call.published else None

    def get_cancelled(self, event) -> bool:
        return event.cancelled_at is not None


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in German by default.")
