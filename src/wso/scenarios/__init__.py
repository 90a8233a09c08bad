"""Legal scenarios as data: facts, time-ordered events and questions in YAML, checked against the rules.

`load_scenario` reads and validates a file (docs/scenarios.md), `run_file` answers its questions
and compares them with its `expect:` section.
"""

from wso.scenarios.errors import ScenarioError
from wso.scenarios.load import load_scenario, parse_scenario
from wso.scenarios.runner import Answer, Mismatch, ScenarioRun, run_file, run_scenario

__all__ = [
    "Answer",
    "Mismatch",
    "ScenarioError",
    "ScenarioRun",
    "load_scenario",
    "parse_scenario",
    "run_file",
    "run_scenario",
]
