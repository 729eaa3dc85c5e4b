"""What each app holds about a person, registered by the apps themselves (in their
AppConfig.ready): the accounts app asks them for the data download, the erasure of an
account and the nightly retention purge, and knows none of them.

Each provider may give:
- `export(user=, emails=) -> dict`: top-level keys of the JSON download;
- `erase(user=, emails=, now=) -> dict[str, int]`: remove or anonymise, counts by name;
- `purge(now=) -> dict[str, int]`: what its retention periods make due;
- `consequences(user=) -> list[str]`: sentences for the account deletion page.
`emails` are the addresses the account has proven to own (lower case). Erasers run in one
transaction, in `order`; the audit log is scrubbed after all of them (accounts.services).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Provider:
    name: str
    order: int = 50
    export: Callable | None = None
    erase: Callable | None = None
    purge: Callable | None = None
    consequences: Callable | None = None


_providers: dict[str, Provider] = {}


def register(provider: Provider) -> Provider:
    if provider.name in _providers and _providers[provider.name] != provider:
        raise ValueError(f"The personal data provider {provider.name} is registered twice.")
    _providers[provider.name] = provider
    return provider


def providers() -> list[Provider]:
    return sorted(_providers.values(), key=lambda provider: (provider.order, provider.name))
