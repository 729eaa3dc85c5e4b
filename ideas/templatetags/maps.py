from django import template

from ideas.maps import map_config as _map_config
from ideas.maps import tile_host as _tile_host

register = template.Library()


@register.simple_tag
def map_config() -> dict:
    """The map's settings for json_script: `{% map_config as config %}`."""
    return _map_config()


@register.simple_tag
def map_tile_host() -> str:
    return _tile_host()
