"""Every parameter file is some rule's input (issue 11, item 3): the scenario suite, run through the
scenario runner while the params loader records each (file, key) it is asked for, must read every
file under src/wso/params/ but the few listed below, which other areas read and no rule does.

A file nobody reads is law that looks enforced and is not (as officers/authorization_requirements.yaml
was, listed by `wso rules` while O4 was hard-coded): either a rule reads it and a scenario shows it,
or it goes."""

from __future__ import annotations

from fnmatch import fnmatch
from pathlib import Path

from wso.params.loader import PARAMS_DIR, recording_reads
from wso.scenarios.runner import run_file

SCENARIOS = sorted((Path(__file__).parents[1] / "scenarios").glob("*.yaml"))

# Files read by other areas, never by a rule; each with who reads it and why it is no rule's input.
READ_ELSEWHERE: dict[str, str] = {
    # How long the access log is kept: applied by the ledger service's pruning (services/ledger.py).
    "audit/access_log_retention_days.yaml": "retention of the access log, not a decision about a record",
    # Texts of the public comparison of WSO, JEM, TFM, BOA (publicdata/comparison.py): shown, not applied.
    "programs/*.yaml": "the public program comparison's cited texts",
    # Thresholds for matching rows of ICE's public sheets over time (publicdata/identity.py).
    "publicdata/*.yaml": "matching ICE's published sheets, not program law",
    # S1-S6 decide on accounts, sessions and sign-ins, which the scenario format (program records) does not
    # model; tests/unit/test_rules_security.py asks each of them of rules/security.py.
    "security/*.yaml": "account and session rules, outside the scenario format",
}


def _read_elsewhere(file: str) -> bool:
    return any(fnmatch(file, pattern) for pattern in READ_ELSEWHERE)


def _all_files() -> set[str]:
    return {path.relative_to(PARAMS_DIR).as_posix() for path in PARAMS_DIR.rglob("*.yaml")}


def test_every_parameter_file_is_read_by_a_rule_during_the_scenario_suite() -> None:
    assert len(SCENARIOS) > 50
    with recording_reads() as reads:
        for path in SCENARIOS:
            assert run_file(path).passed, path.name
    read = {file for file, _ in reads}
    unread = sorted(f for f in _all_files() - read if not _read_elsewhere(f))
    assert unread == [], (
        f"parameter files read by no rule during the scenario suite: {unread}. Make a rule read each one "
        "and add a scenario that asks that rule, or (if no rule should) list it in READ_ELSEWHERE with why."
    )
    # The list stays honest: every entry names files that exist, and none of them is a rule's input after all.
    for pattern in READ_ELSEWHERE:
        matching = [f for f in _all_files() if fnmatch(f, pattern)]
        assert matching, f"READ_ELSEWHERE lists {pattern}, which matches no parameter file"
        assert not [f for f in matching if f in read], f"{pattern} is read by a rule: take it off READ_ELSEWHERE"


def test_the_recording_names_the_file_and_the_version_asked_for() -> None:
    from wso.params import default_params

    with recording_reads() as reads:
        default_params().for_template("hold.max_hours", "MOA-2019")
    assert reads == {("hold/max_hours.yaml", "MOA-2019")}
    default_params().for_template("hold.max_hours", "MOA-2025")  # outside the block: not recorded
    assert reads == {("hold/max_hours.yaml", "MOA-2019")}
