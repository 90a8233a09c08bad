"""Issue 11 item 5: one command class per use case, and its service, take the same input.

The classes are written out (nothing is derived from a signature at run time); this test is what
keeps a class and its service from drifting apart: the record ids and the fields of each class are
exactly the service's keyword arguments besides the ones the shell supplies (uow, actor, at).
"""

from __future__ import annotations

import inspect

import pytest
from pydantic import ValidationError

from wso.cli.operations_cmd import COMMANDS
from wso.officers.commands import NominateOfficer, RecordExamAttempt
from wso.services.commands import Command

SHELL = {"uow", "actor", "at"}


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.__name__)
def test_a_command_class_takes_exactly_its_services_arguments(command: type[Command]) -> None:
    parameters = inspect.signature(command.service).parameters
    arguments = {name for name, p in parameters.items() if p.kind is inspect.Parameter.KEYWORD_ONLY} - SHELL
    assert set(command.ids) | set(command.model_fields) == arguments
    assert not set(command.ids) & set(command.model_fields)
    for name, field in command.model_fields.items():  # a field the service requires is required here too
        if parameters[name].default is inspect.Parameter.empty:
            assert field.is_required(), f"{command.__name__}.{name} has a default its service has not"


def test_every_records_use_case_has_one_class() -> None:
    names = [c.operation() for c in COMMANDS]
    assert len(names) == len(set(names)) >= 30


def test_a_bad_value_is_refused_naming_the_field() -> None:
    with pytest.raises(ValidationError) as exc:
        RecordExamAttempt.model_validate({"taken_at": "12345", "score_percent": 80})
    assert exc.value.errors()[0]["loc"] == ("taken_at",)
    with pytest.raises(ValidationError) as exc:
        NominateOfficer.model_validate(
            {
                "name": "A\x00B",
                "citizen_attested": True,
                "experience_attested": True,
                "facility_training_attested": True,
            }
        )
    assert exc.value.errors()[0]["loc"] == ("name",) and "control characters" in exc.value.errors()[0]["msg"]
    with pytest.raises(ValidationError) as exc:
        RecordExamAttempt.model_validate({"taken_at": "2026-11-25T09:30:00-05:00", "score_percent": 80, "x": 1})
    assert exc.value.errors()[0]["loc"] == ("x",)  # an unknown field is refused, not ignored
