"""One Pydantic class per records use case, beside its service: the API's request body, the pages'
form parser and the CLI's options (`wso records <operation> --field value`).

A class names its service (`service`) and the record ids its URL path carries (`ids`), so the
shell runs it as `service(uow, actor=..., at=..., **ids, **fields)`; nothing is derived from a
service's signature (tests/unit/test_commands.py checks that the two agree). `ALL` lists every
class, in the order the CLI shows them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

from wso.services.commands.words import Words


class Command(BaseModel):
    """A use case's input. `service` and `ids` are class data, not fields."""

    model_config = ConfigDict(extra="forbid")

    service: ClassVar[Callable[..., Any]]
    ids: ClassVar[tuple[str, ...]] = ()
    # How this command names a field to a person when it differs from wso.services.commands.words.FIELD_WORDS.
    words: ClassVar[dict[str, Words]] = {}

    @classmethod
    def operation(cls) -> str:
        """The operation's name: the service's (the API's operation id, the CLI's command)."""
        return cls.service.__name__
