"""The editors' working place in the admin: triage of ideas and the criteria catalogue."""

from . import catalogue_admin, idea_admin, theme_admin  # noqa: F401  (register the model admins)
