"""Development: the embedded default (SQLite, in-process tasks, mail to the console)."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
