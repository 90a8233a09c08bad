"""How strongly each audited rule binds (PROGRAM.md, "Modality"): a `must` broken is a finding, a
`should` missed is a departure, counted apart.

The "legal" branch adds modality to the rules catalog (`RuleEntry.modality_for(template)`): when the
catalog has it, `modality_of` reads it there; until then the audit keeps the modality of the rules it
checks here, each with the words that decide it. H7 differs by template (A7):
MOA-2019 "in no case more than one hour" (must, unless an exigency is recorded with its reason:
then a departure), MOA-2025 "generally within one hour" (should).
"""

from __future__ import annotations

MUST, SHOULD = "must", "should"

MODALITY: dict[str, str] = {
    "H3": MUST,  # no WSO authority past release without a served warrant
    "H4": MUST,  # "shall ... immediately" notify (the minutes are an audit reading, confidence L)
    "H5": MUST,  # "for no more than 48 hours"
    "H6": MUST,  # "must be identified, by name ... on the Warrant"
    "H8": MUST,  # "NOT TO EXCEED 48 HOURS"; "not to exceed 48 hours, excluding ..."
    "H9": MUST,  # state law forbids
    "O4": MUST,  # authorized "only when all hold"
    "O5": MUST,  # withdrawn authorization
    "A4": MUST,  # termination revokes every authorization
    "C1": MUST,  # "within 48 hours, excluding weekends"
    "C2": MUST,  # "must be forwarded ... within 48 hours"
}
H7_BY_TEMPLATE: dict[str, str] = {"MOA-2019": MUST, "MOA-2025": SHOULD}
EXIGENCY_MAKES_H7 = SHOULD  # MOA-2019: "absent unforeseen exigent circumstances"

AUDITED_RULES: tuple[str, ...] = ("H3", "H4", "H5", "H6", "H7", "H8", "H9", "O4", "O5", "A4", "C1", "C2")


def modality_of(rule: str, template: str | None = None) -> str:
    """The rule's force, from the catalog when it records one (legal branch), else from the table above."""
    from wso.params.catalog import default_catalog

    entry = default_catalog().get(rule)
    if entry is not None and hasattr(entry, "modality_for"):
        return str(entry.modality_for(template))
    if rule == "H7" and template is not None:
        return H7_BY_TEMPLATE[template]
    return MODALITY[rule]
