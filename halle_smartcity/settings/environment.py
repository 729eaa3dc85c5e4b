"""Reading settings from the environment: a missing or malformed value stops the start with
one line naming the variable."""

import os

from django.core.exceptions import ImproperlyConfigured


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name) or default


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    word = value.strip().lower()
    if word not in {"1", "true", "yes", "on", "0", "false", "no", "off"}:
        # A typo must not silently switch a security setting off.
        raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")
    return word in {"1", "true", "yes", "on"}


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or number < minimum:
        raise ImproperlyConfigured(f"{name} must be a whole number >= {minimum}, not {value!r}.")
    return number


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


def env_ints(name: str, default: str) -> list[int]:
    items = env_list(name, default)
    if not all(item.isdigit() for item in items):
        raise ImproperlyConfigured(
            f"{name} must be comma-separated whole numbers, not {env(name)!r}."
        )
    return [int(item) for item in items]


def env_choice(name: str, default: str, choices: set[str]) -> str:
    value = env(name, default)
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(sorted(choices))}.")
    return value


def require(name: str) -> str:
    value = env(name)
    if not value:
        raise ImproperlyConfigured(f"The environment variable {name} must be set.")
    return value


def env_floats(name: str, default: str, count: int) -> tuple[float, ...]:
    try:
        values = tuple(float(item) for item in env_list(name, default))
    except ValueError:
        values = ()
    if len(values) != count:
        raise ImproperlyConfigured(f"{name} needs {count} comma-separated numbers.")
    return values
