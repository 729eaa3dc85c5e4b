from rest_framework.negotiation import BaseContentNegotiation


class FormatParameterNegotiation(BaseContentNegotiation):
    """The `format` parameter chooses the answer's type (JSON, CSV, GeoJSON), not the Accept
    header: a client that asks for text/csv with ?format=csv gets its CSV rather than a 406
    from a negotiation that only knows the JSON renderer."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type
