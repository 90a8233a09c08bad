"""Every command's `permission` is the one its service checks: the service refuses (Forbidden) exactly the
roles that lack it, so a page that offers a form only to `Command.allowed(actor)` never offers what the
service would refuse, and never hides what it would accept.

Each service is called as each role with well-formed input and record ids that do not exist: a role
without the permission must be refused before anything is looked up; a role with it gets past the
check (to NotFound, a refusal of the rules, or success, rolled back). Run on SQLite and PostgreSQL.
"""

from __future__ import annotations

import types
import typing
from datetime import UTC, datetime
from typing import Any, Literal, get_args, get_origin

import pytest

from tests.integration.records_support import County
from wso.cli.operations_cmd import COMMANDS
from wso.holds import commands as hold_commands
from wso.holds.operations import HOLD_OPERATIONS, HoldOperation
from wso.services.commands import Command
from wso.services.errors import Forbidden
from wso.services.permissions import ROLES, Actor
from wso.store.uow import Store

AT = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


class _Rollback(Exception):
    """Raised inside the unit of work so that an accepted call writes nothing."""


def _sample(annotation: Any, name: str) -> Any:
    """A well-formed value of a field's type (the check under test comes before the record is read)."""
    origin = get_origin(annotation)
    if origin is typing.Annotated:
        return _sample(get_args(annotation)[0], name)
    if origin in (typing.Union, types.UnionType):
        return _sample(next(a for a in get_args(annotation) if a is not type(None)), name)
    if origin is Literal:
        return get_args(annotation)[0]
    if annotation is bool:
        return True
    if annotation in (int, float):
        return 80
    if "datetime" in repr(annotation).lower():  # datetime, pydantic's AwareDatetime
        return AT
    return "Long-Password-For-Tests-1" if "password" in name else "sample"


def _arguments(command: type[Command]) -> dict[str, Any]:
    values = {
        name: _sample(info.annotation, name)
        for name, info in command.model_fields.items()
        if info.is_required() or name != "expected_version"
    }
    values.pop("expected_version", None)
    return {**values, **dict.fromkeys(command.ids, "no-such-record")}


def test_every_records_command_names_the_permission_its_service_checks() -> None:
    for command in COMMANDS:
        assert "permission" in {k for cls in command.__mro__[:-1] if cls is not Command for k in vars(cls)}, command


# A command with no permission is decided by the record or the caller's own account, not by the role alone
# (changing one's own password, revoking one's own token): its own tests cover who may run it.
BY_ROLE = [command for command in COMMANDS if command.permission is not None]


@pytest.mark.parametrize("command", BY_ROLE, ids=lambda c: c.operation())
def test_the_service_refuses_exactly_the_roles_without_the_command_permission(
    store: Store, county: County, command: type[Command]
) -> None:
    arguments = _arguments(command)
    for role in ROLES:
        actor = Actor(user_id=None, username=f"a-{role}", role=role, agency_id=county.agency_id)
        refused = False
        try:
            with store.unit_of_work() as uow:
                command.service(uow, actor=actor, at=AT, **arguments)
                raise _Rollback
        except Forbidden:
            refused = True
        except Exception:  # noqa: BLE001 - past the permission check: anything else is the record's answer
            refused = False
        assert refused is not command.allowed(actor), (command.operation(), role)


def test_hold_commands_are_on_the_shared_command_base() -> None:
    assert issubclass(hold_commands.OnHold, Command)
    assert issubclass(hold_commands.BookPerson, Command)


@pytest.mark.parametrize("operation", HOLD_OPERATIONS, ids=lambda o: o.name)
def test_a_hold_service_refuses_exactly_the_roles_its_command_does_not_allow(
    store: Store, county: County, operation: HoldOperation
) -> None:
    """The holds check roles per operation (wso.holds.roles): the command's `role` is the one its service checks."""
    command = operation.command.model_construct()  # the role is checked before any field is read
    for role in ROLES:
        actor = Actor(user_id=None, username=f"a-{role}", role=role, agency_id=county.agency_id)
        try:
            with store.unit_of_work() as uow:
                operation.service(uow, actor=actor, hold_id="no-such-hold", command=command, now=AT)
                raise _Rollback
        except Forbidden:
            refused = True
        except Exception:  # noqa: BLE001 - past the role check (the hold does not exist)
            refused = False
        assert refused is not operation.command.allowed(actor), (operation.name, role)
