"""The open data's licence, stated in every answer of the API."""

from halle_smartcity.city import city_name

LICENCE_NAME = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
LINK_HEADER = f'<{LICENCE_URL}>; rel="license"'


def licence() -> dict:
    return {
        "name": LICENCE_NAME,
        "url": LICENCE_URL,
        "attribution": city_name(),
    }
