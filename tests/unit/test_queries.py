"""Issue 11 item 5, for reads: one query class per read, and its service, take the same input.

The classes are written out (nothing is derived from a signature at run time, in the API or the
CLI); this test keeps a class and its service from drifting apart: the record ids and the fields of
each class are exactly the service's keyword arguments besides the ones the shell supplies (uow,
actor), and a read takes `at` exactly when its class is an `AsOf`.
"""

from __future__ import annotations

import inspect
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from wso.cli.operations_cmd import COMMANDS, QUERIES
from wso.complaints.queries import ListComplaints
from wso.services.commands.queries import AsOf, Query
from wso.users.queries import ListUsers

SHELL = {"uow", "actor"}


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.__name__)
def test_a_query_class_takes_exactly_its_services_arguments(query: type[Query]) -> None:
    parameters = inspect.signature(query.service).parameters
    arguments = {name for name, p in parameters.items() if p.kind is inspect.Parameter.KEYWORD_ONLY} - SHELL
    assert set(query.ids) | set(query.model_fields) == arguments
    assert not set(query.ids) & set(query.model_fields)
    assert ("at" in arguments) == issubclass(query, AsOf)
    for name, field in query.model_fields.items():  # a field the service requires is required here too
        if parameters[name].default is inspect.Parameter.empty and name != "at":
            assert field.is_required(), f"{query.__name__}.{name} has a default its service has not"


def test_every_read_of_the_api_has_one_class_and_no_write_shares_its_name() -> None:
    names = [q.operation() for q in QUERIES]
    assert len(names) == len(set(names)) >= 10
    assert not set(names) & {c.operation() for c in COMMANDS}


def test_as_of_defaults_to_the_entry_points_now() -> None:
    now = datetime(2026, 11, 25, 14, 0, tzinfo=UTC)
    assert ListComplaints().arguments(now) == {"at": now, "open_only": False}
    earlier = ListComplaints.model_validate({"at": "2026-11-01T09:00:00-05:00", "open_only": "true"})
    assert earlier.arguments(now) == {"at": datetime.fromisoformat("2026-11-01T09:00:00-05:00"), "open_only": True}
    assert ListUsers().arguments(now) == {}  # a read of the present only: no `at`


def test_a_bad_value_is_refused_naming_the_field() -> None:
    with pytest.raises(ValidationError) as exc:
        ListComplaints.model_validate({"at": "2026-11-01T09:00:00"})  # no offset
    assert exc.value.errors()[0]["loc"] == ("at",)
    with pytest.raises(ValidationError) as exc:
        ListComplaints.model_validate({"open": "true"})
    assert exc.value.errors()[0]["loc"] == ("open",)  # an unknown parameter is refused, not ignored
