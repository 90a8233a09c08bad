"""The consequences a confirmation page lists (wso.rules.consequences): each cites rules that exist, and A3's
notice period is the one params hold, not a number typed into the text."""

from __future__ import annotations

import pytest

from wso.params import default_params
from wso.params.catalog import default_catalog
from wso.rules.consequences import _BY_ACT, consequences_of


@pytest.mark.parametrize("act", sorted(_BY_ACT))
def test_every_consequence_cites_rules_of_the_catalog(act: str) -> None:
    catalog = default_catalog()
    for consequence in _BY_ACT[act]:
        assert consequence.rules and set(consequence.rules) <= set(catalog), (act, consequence.rules)


def test_A3_a_notice_s_consequence_states_the_notice_period_params_hold() -> None:
    days = default_params().for_template("agreement.notice_days", "MOA-2025").value
    for kind in ("termination", "suspension"):
        first = consequences_of("record_notice", kind=kind)[0]
        assert f"{days} days after receipt" in first.text and "A3" in first.rules


def test_an_act_that_ends_no_authority_has_no_consequence_to_confirm() -> None:
    assert consequences_of("record_training") == ()
    assert consequences_of("record_notice", kind="termination") != consequences_of("record_notice", kind="suspension")
