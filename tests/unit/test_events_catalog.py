"""Issue 11 item 1: one event vocabulary. Every ledger type is declared once (wso.events.catalog),
with its fields and the rule ids it feeds; the folds know exactly the catalog's types."""

from __future__ import annotations

import pytest

from wso.events import holds as hold_events
from wso.events.base import InvalidEvent, UnknownEventType
from wso.events.catalog import CATALOG, parse, payload_of, validate_payload
from wso.events.facts import FOLDED_TYPES
from wso.events.rows import BY_PREFIX
from wso.params.catalog import default_catalog
from wso.store.projections import projections
from wso.worker.folds import ALERT_EVENTS


def folded_by_verify() -> set[str]:
    """Every type a `wso ledger verify` fold replays (the areas' fold modules loaded first)."""
    projections()  # imports wso.holds.folds, which registers release_standard_recorded on agency streams
    return (
        set().union(*BY_PREFIX.values())
        | set(hold_events.CATALOG)  # the hold stream's fold parses every hold event
        | {"detention_agreement_recorded"}  # the facility stream's fold
        | set(ALERT_EVENTS)
    )


def test_every_type_a_fold_handles_is_in_the_catalog() -> None:
    assert folded_by_verify() - set(CATALOG) == set()
    assert FOLDED_TYPES - set(CATALOG) == set()


def test_every_catalog_type_has_a_fold_or_is_declared_fold_free() -> None:
    unfolded = {t for t, cls in CATALOG.items() if t not in folded_by_verify() and not cls.FOLD_FREE}
    assert unfolded == set()
    # and the facts fold reads every type that feeds a rule, or declares it fold-free
    feeds_rules = {t for t, cls in CATALOG.items() if cls.RULES and not cls.FOLD_FREE}
    not_in_facts = feeds_rules - FOLDED_TYPES
    assert not_in_facts <= {"records.exported", "user.created", "user.password_changed", "user.password_reset"} | {
        "user.mfa_reset",
        "api_token.issued",
        "api_token.revoked",
    }, not_in_facts


def test_each_type_names_real_rule_ids() -> None:
    known = set(default_catalog())
    for type_, cls in CATALOG.items():
        assert set(cls.RULES) <= known, (type_, set(cls.RULES) - known)
        assert cls.model_fields["type"].default == type_


def test_an_unknown_type_is_refused_naming_it() -> None:
    with pytest.raises(UnknownEventType, match="'officer.teleported'"):
        validate_payload("officer.teleported", {})


@pytest.mark.parametrize(
    ("type_", "payload", "field"),
    [
        ("officer.training_completed", {"training_id": "t1", "name": "x"}, "completed_at"),
        (
            "officer.exam_attempt_recorded",
            {"attempt_id": "a", "taken_at": "2026-01-01T00:00:00Z", "score_percent": 170},
            "score_percent",
        ),
        ("agreement.signed", {"party": "LEA", "signed_at": "2026-01-01T00:00:00Z", "sigend_by": "x"}, "sigend_by"),
        ("booked", {"at": "2026-01-01T00:00:00Z"}, "booking_number"),
        ("user.password_changed", {"type": "user.password_changed"}, "type"),
    ],
)
def test_a_payload_that_does_not_fit_names_the_type_and_the_field(type_: str, payload: dict, field: str) -> None:
    with pytest.raises(InvalidEvent) as caught:
        validate_payload(type_, payload)
    assert caught.value.type == type_ and caught.value.field == field
    assert repr(type_) in str(caught.value) and repr(field) in str(caught.value)


def test_a_catalog_event_round_trips_through_its_payload() -> None:
    event = parse("agreement.signed", {"party": "ICE", "signed_at": "2026-03-01T12:00:00-05:00"})
    assert payload_of(event) == {"party": "ICE", "signed_at": "2026-03-01T12:00:00-05:00"}
    assert parse("agreement.signed", payload_of(event)) == event
