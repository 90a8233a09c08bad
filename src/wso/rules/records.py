"""Records and release of information (PROGRAM.md section 7): what each record is, and whether it may
leave the agency (D1).

D1 quotes MOA §V.C: information "obtained or developed as a result of this MOA ... is under the control
of ICE and shall not be disclosed unless: 1) permitted by applicable laws ...; and 2) the LEA has
coordinated in advance of release with (a) the ICE Office of Public Affairs ... prior to any release to
the media, or (b) an ICE officer prior to releases to all other parties"; records "that are solely
state records and not ICE records" follow state public-records law.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Literal

from wso.params import ParamSet, default_params
from wso.rules.citing import cite
from wso.rules.decision import Decision, InvalidFacts, Reason, without_violation

Destination = Literal["within_agency", "ice", "media", "other"]
DESTINATIONS: tuple[str, ...] = ("within_agency", "ice", "media", "other")
LABELS = {"moa": "MOA record under ICE control", "state": "state record"}


def record_label(kind: str, *, on: date, params: ParamSet | None = None) -> str:
    """D1: "moa" (obtained or developed under the MOA, under ICE's control) or "state" (solely a
    state record, under state public-records law), from the cited `records.labels` parameter."""
    labels = (params or default_params()).at("records.labels", on)
    if kind not in labels.value:
        raise InvalidFacts("kind", f"{kind!r} is not a record kind with a D1 label (known: {', '.join(labels.value)})")
    return str(labels.value[kind])


def may_export_records(
    *,
    kinds: Sequence[str],
    destination: Destination,
    on: date,
    ice_coordination_ref: str | None = None,
    params: ParamSet | None = None,
) -> Decision:
    """D1: records stay within the agency freely, and go to ICE itself; MOA records leave the agency for
    anyone else (the media, other parties) only with a recorded ICE coordination reference (ICE Public
    Affairs for the media, an ICE officer for others). Solely state records follow state law."""
    if destination not in DESTINATIONS:
        raise InvalidFacts("destination", f"{destination!r} is not one of {', '.join(DESTINATIONS)}")
    params = params or default_params()
    labels = params.at("records.labels", on)
    moa = sorted({k for k in kinds if record_label(k, on=on, params=params) == "moa"})
    state = sorted(set(kinds) - set(moa))
    reasons: list[Reason] = []
    if state:
        reasons.append(
            cite(
                "D1",
                f"Solely state records ({', '.join(state)}): state public-records law governs their release.",
                labels,
            )
        )
    if not moa:
        pass
    elif destination in ("within_agency", "ice"):
        where = "within the agency" if destination == "within_agency" else "to ICE, which controls them"
        reasons.append(cite("D1", f"MOA records ({', '.join(moa)}) go {where}: no release to third parties.", labels))
    else:
        ref = (ice_coordination_ref or "").strip()
        office = "the ICE Office of Public Affairs" if destination == "media" else "an ICE officer"
        if ref:
            reasons.append(
                cite(
                    "D1",
                    f"MOA records ({', '.join(moa)}) released to {destination} after coordination with {office}: "
                    f"reference {ref}.",
                    labels,
                )
            )
        else:
            reasons.append(
                cite(
                    "D1",
                    f"MOA records ({', '.join(moa)}) are under ICE's control: release to {destination} needs prior "
                    "coordination with "
                    f"{office}, recorded by its reference.",
                    labels,
                    satisfied=False,
                )
            )
    reasons.append(
        cite(
            "D2",
            "The Privacy Act of 1974 and DHS rules (6 C.F.R. §§ 5.20-5.36) apply to personal information released.",
        )
    )
    allowed = without_violation(reasons)
    status = "allowed" if allowed else "coordination_required"
    return Decision(
        "may_export_records", allowed, tuple(reasons), status=status, values={"moa_kinds": moa, "state_kinds": state}
    )
