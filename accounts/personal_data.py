"""What each app holds about a person, registered by the apps themselves (in their
AppConfig.ready): the accounts app asks them for the data download, the erasure of an
account and the nightly retention purge, and knows none of them.

Each provider may give:
- `export(user=, emails=) -> dict`: top-level keys of the JSON download;
- `erase(user=, emails=, now=) -> dict[str, int]`: remove or anonymise, counts by name;
- `purge(now=) -> dict[str, int]`: what its retention periods make due;
- `consequences(user=) -> list[str]`: sentences for the account deletion page;
- `counted`: the names its erase and purge count by, in words (for the audit log).
`emails` are the addresses the account has proven to own (lower case). Erasers run in one
transaction, in `order`; the audit log is scrubbed after all of them (accounts.services).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.utils.functional import Promise


@dataclass(frozen=True)
class Provider:
    name: str
    order: int = 50
    export: Callable | None = None
    erase: Callable | None = None
    purge: Callable | None = None
    consequences: Callable | None = None
    counted: Mapping[str, str | Promise] = field(default_factory=dict)


_providers: dict[str, Provider] = {}


def register(provider: Provider) -> Provider:
    if provider.name in _providers and _providers[provider.name] != provider:
        raise ValueError(f"The personal data provider {provider.name} is registered twice.")
    _providers[provider.name] = provider
    return provider


def providers() -> list[Provider]:
    return sorted(_providers.values(), key=lambda provider: (provider.order, provider.name))


def count_label(name: str) -> str:
    """What a count of an erasure or purge counts, in words; an unknown name as it is."""
    for provider in _providers.values():
        if name in provider.counted:
            return str(provider.counted[name])
    return name
