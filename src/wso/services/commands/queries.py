"""One Pydantic class per read, beside its service, as `Command` is for each write: the API's query
parameters (`GET ...?open_only=true&at=...`) and the CLI's options (`wso records <read> --field value`).

A class names its service (`service`) and the record ids its URL path carries (`ids`), so the
shell runs it as `service(uow, actor=..., **ids, **query.arguments(now))`; nothing is derived from a
service's signature (tests/unit/test_queries.py checks that the two agree). A read "as of" an
instant derives from `AsOf`: its optional `at` defaults to the entry point's now.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from wso.services.fields import Instant


class Query(BaseModel):
    """A read's input besides the record ids of its path. `service` and `ids` are class data, not fields."""

    model_config = ConfigDict(extra="forbid")

    service: ClassVar[Callable[..., Any]]
    ids: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def operation(cls) -> str:
        """The operation's name: the service's (the API's operation id, the CLI's command)."""
        return cls.service.__name__

    def arguments(self, now: datetime) -> dict[str, Any]:
        """The service's keyword arguments besides uow, actor and the ids (`now` is for `AsOf`)."""
        return self.model_dump()


class AsOf(Query):
    """A read of the records as they stood at an instant: `at`, by default the entry point's now."""

    at: Instant | None = Field(None, description="as of this instant (default: now)")

    def arguments(self, now: datetime) -> dict[str, Any]:
        return {**self.model_dump(), "at": self.at or now}
