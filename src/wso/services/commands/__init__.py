"""One Pydantic class per records use case, beside its service: the API's request body, the pages'
form parser and the CLI's options (`wso records <operation> --field value`).

A class names its service (`service`), the permission that service checks (`permission`; None only
where the service decides by the record or the caller's own account), and the record ids its URL
path carries (`ids`), so the
shell runs it as `service(uow, actor=..., at=..., **ids, **fields)`; nothing is derived from a
service's signature (tests/unit/test_commands.py checks that the two agree). `ALL` lists every
class, in the order the CLI shows them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

from wso.services.commands.words import Words
from wso.services.permissions import ROLES, Actor, Permission

BY_OPERATION: dict[str, type[Command]] = {}  # operation name -> its class, filled as the areas' modules load


def allowed(operation: str, actor: Actor | None) -> bool:
    """Whether `actor` may run the named operation: a page offers a form only then. An unknown name
    is an error (a template's typo must not silently hide a form from everyone)."""
    command = BY_OPERATION.get(operation)
    if command is None:
        raise KeyError(f"no command runs the operation {operation!r}")
    return actor is not None and command.allowed(actor)


def roles_allowed(operation: str) -> tuple[str, ...]:
    """The user roles that may run the operation, for a read-only page's "who records changes" line."""
    return tuple(role for role in ROLES if allowed(operation, Actor(None, role, role, None)))


class Command(BaseModel):
    """A use case's input. `service` and `ids` are class data, not fields."""

    model_config = ConfigDict(extra="forbid")

    service: ClassVar[Callable[..., Any]]
    # What the service checks: pages offer the form only to an actor who has it (tests/unit/test_command_permissions.py
    # calls every service as every role and checks the service refuses exactly the roles without it).
    permission: ClassVar[Permission | None]
    ids: ClassVar[tuple[str, ...]] = ()
    # How this command names a field to a person when it differs from wso.services.commands.words.FIELD_WORDS.
    words: ClassVar[dict[str, Words]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """A class that names its service is registered by operation, for the pages' `may(...)`."""
        super().__init_subclass__(**kwargs)
        if "service" in cls.__dict__:
            BY_OPERATION[cls.service.__name__] = cls

    @classmethod
    def allowed(cls, actor: Actor) -> bool:
        """Whether the actor's role may run this command (so a page may offer its form)."""
        return cls.permission is None or actor.can(cls.permission)

    @classmethod
    def operation(cls) -> str:
        """The operation's name: the service's (the API's operation id, the CLI's command)."""
        return cls.service.__name__
