"""Issue 15 item 4: a refused form lists every bad field at once, each in the user's words (not Pydantic's),
and the API, the forms and the CLI say the same sentence (wso.services.commands.words)."""

from __future__ import annotations

import pytest

from wso.agencies import commands as agencies
from wso.agencies.commands import CreateAgency
from wso.agreements import commands as agreements
from wso.agreements.commands import RecordNotice
from wso.cli.command_options import command_of
from wso.complaints import commands as complaints
from wso.departures import commands as departures
from wso.http.forms import parse_form
from wso.officers import commands as officers
from wso.officers.commands import NominateOfficer, RecordAuthorizationLetter, RecordExamAttempt
from wso.services.commands.words import FIELD_WORDS, in_words, plain_message
from wso.services.errors import InvalidInput
from wso.users import commands as users

ZONE = "America/Chicago"


def refusal(schema: type, data: dict[str, str]) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        parse_form(schema, data, zone=ZONE)
    return caught.value


def test_every_bad_field_is_listed_at_once_in_plain_words_in_the_form_order() -> None:
    error = refusal(RecordExamAttempt, {"taken_at": "", "score_percent": "abc"})
    assert error.errors == (
        ("taken_at", "Enter the date and time the exam was taken"),
        ("score_percent", "Enter the exam score as a number from 0 to 100"),
    )
    assert (error.field, error.reason) == error.errors[0]  # the API's field/reason stay the first one
    assert error.to_dict()["errors"][1] == {"field": "score_percent", "reason": error.errors[1][1]}
    assert "unable to parse" not in str(error.to_dict())


def test_choices_dates_and_the_commands_own_labels() -> None:
    notice = refusal(RecordNotice, {"kind": "eviction", "by": "", "received_at": "2026-02-30T10:00"})
    said = dict(notice.errors)
    assert said["kind"].startswith("Choose the kind of notice")
    assert said["by"] == "Choose who gave the notice"
    assert said["received_at"].startswith("Enter the date and time it was received as a real date and time")
    letter = refusal(RecordAuthorizationLetter, {})
    assert letter.errors == (("signed_at", "Enter the date and time it was signed"),)
    nominee = refusal(NominateOfficer, {"name": ""})  # unticked boxes are False, a blank name is refused
    assert dict(nominee.errors)["name"] == "Enter the officer's full name"
    agency = refusal(CreateAgency, {"state": "FL", "timezone": "America/New_York"})
    assert agency.errors == (("name", "Enter the agency's name"),)  # the command's own label, not "the name"


def test_a_local_time_the_clocks_skip_is_refused_beside_the_other_errors() -> None:
    # 02:30 on 2026-03-08 never happens in Chicago (spring forward); the score is also bad: both are listed.
    error = refusal(RecordExamAttempt, {"taken_at": "2026-03-08T02:30", "score_percent": "high"})
    said = dict(error.errors)
    assert list(said) == ["taken_at", "score_percent"]
    assert said["taken_at"].startswith("Enter the date and time the exam was taken as a time that exists")
    assert "does not exist in America/Chicago" in said["taken_at"]


def test_the_cli_says_the_same_as_the_form() -> None:
    with pytest.raises(InvalidInput) as cli:
        command_of(RecordExamAttempt, {"taken_at": None, "score_percent": "abc"})
    form = refusal(RecordExamAttempt, {"score_percent": "abc"})
    assert cli.value.errors == form.errors


def test_plain_messages_by_error_type() -> None:
    assert plain_message("score_percent", {"type": "float_parsing", "msg": "unable to parse"}) == (
        "Enter the exam score as a number from 0 to 100"
    )
    assert plain_message("summary", {"type": "string_too_long", "ctx": {"max_length": 10000}}) == (
        "The summary must be 10000 characters or fewer"
    )
    assert plain_message("signed_at", {"type": "value_error", "msg": "Value error, must be between the years"}) == (
        "The date and time it was signed must be between the years"
    )
    assert plain_message("citizen_attested", {"type": "bool_parsing"}) == (
        "Say yes or no for the citizenship attestation (true or false)"
    )
    unknown = plain_message("mystery_field", {"type": "something_new", "msg": "odd"})
    assert unknown == "The mystery field: odd"  # never hidden: Pydantic's text after the label


def test_every_command_field_has_words() -> None:
    commands = [c for area in (agencies, agreements, complaints, departures, officers, users) for c in area.ALL]
    missing = {(c.__name__, n) for c in commands for n in c.model_fields if n not in FIELD_WORDS and n not in c.words}
    assert not missing


def test_a_bound_is_said_as_a_bound() -> None:
    error = {"type": "greater_than_equal", "msg": "Input should be greater than or equal to 0", "ctx": {"ge": 0}}
    assert plain_message("holds_per_month", error) == "Enter the number of holds per month as a number 0 or more"


def test_a_services_reason_is_put_in_a_sentence_that_names_its_field() -> None:
    assert in_words("signed_at", "cannot be later than the moment it is recorded") == (
        "The date and time it was signed cannot be later than the moment it is recorded"
    )
    assert in_words("complaint_id", "that complaint is not about this officer") == (
        "The complaint: that complaint is not about this officer"
    )
    assert in_words("signed_at", "Lee Park is not certified.") == "Lee Park is not certified."
