"""What a serious act sets in motion: the obligations it opens or the authority it ends, with rule ids.

The pages ask the user to confirm such an act on a page listing these consequences (issue 15, item 3);
the words are the law's, so they live here beside the rules, not in a template. Each consequence
quotes or paraphrases PROGRAM.md's rule (section IV.D of both MOA templates for O4-O6, VIII for A3,
IV.D for A4, Appendix B for C3/C4). Pure: no I/O, nothing but the act's name and what the user chose.
"""

from __future__ import annotations

from dataclasses import dataclass

from wso.params import default_params
from wso.params.loader import TEMPLATES


@dataclass(frozen=True)
class Consequence:
    """One thing that follows from the act, and the rules that say so."""

    text: str
    rules: tuple[str, ...]


def _notice_period() -> str:
    """A3's notice period in words, read from params (agreement.notice_days), per template if they differ."""
    days = {t: default_params().for_template("agreement.notice_days", t).value for t in TEMPLATES}
    if len(set(days.values())) == 1:
        return f"{next(iter(days.values()))} days after receipt"
    return " or ".join(f"{d} days after receipt ({t})" for t, d in days.items())


_OFFICER_ENDS = Consequence(
    "From the effective time the officer is not authorized: they may serve no I-200 or I-205 warrant, "
    "and every hold served by them after it has no WSO authority.",
    ("O4", "O5", "H3"),
)
_CREDENTIALS_BACK = Consequence(
    "The ICE credentials are ICE property and must be returned; until they are, an open obligation is shown.",
    ("O6",),
)

_BY_ACT: dict[str, tuple[Consequence, ...]] = {
    "withdraw_authorization": (
        _OFFICER_ENDS,
        _CREDENTIALS_BACK,
        Consequence("A withdrawal is final: authorizing the officer again takes a new nomination.", ("O5",)),
    ),
    "suspend_officer": (
        Consequence(
            "From the effective time the officer may serve no warrant until ICE lifts the suspension.", ("O4", "C4")
        ),
    ),
    "request_credentials_return": (
        Consequence(
            "The FOD has asked for the credentials: they must be returned, and an open obligation is shown "
            "until the return is recorded.",
            ("O6",),
        ),
    ),
    "record_notice:termination": (
        Consequence(
            f"The agreement ends when the notice takes effect: {_notice_period()}, or the exigent date recorded.",
            ("A3",),
        ),
        Consequence(
            "When it takes effect, every officer's authorization under the agreement is revoked at once.", ("A4", "O4")
        ),
        Consequence("Every officer's ICE credentials must then be returned.", ("O6",)),
    ),
    "record_notice:suspension": (
        Consequence(
            f"The agreement is suspended when the notice takes effect: {_notice_period()}, or the exigent date "
            "recorded; no officer under it may act until it is lifted.",
            ("A3", "O4"),
        ),
    ),
    "resolve_complaint": (
        Consequence("The complaint is closed with this resolution, which is reported to ICE.", ("C3",)),
    ),
    "void_officer_entry:withdrawal": (
        Consequence(
            "The withdrawal or suspension is marked recorded in error: the rules ignore it from now on, so the "
            "officer's authorization is decided as if it had never been recorded. The entry stays on the "
            "record, struck through, with your name and reason.",
            ("O4", "O5", "C4"),
        ),
    ),
    "void_officer_entry:exam_attempt": (
        Consequence(
            "The exam attempt is marked recorded in error: the rules ignore it, so certification and the retake "
            "allowance are decided from the other attempts. The entry stays on the record, struck through.",
            ("O3", "O4"),
        ),
    ),
}

SERIOUS_ACTS: tuple[str, ...] = tuple(sorted({key.split(":")[0] for key in _BY_ACT}))


def consequences_of(act: str, *, kind: str | None = None) -> tuple[Consequence, ...]:
    """The consequences of `act` (an operation's name), of its `kind` where the act has several
    (a notice of termination or of suspension); empty for an act that ends no authority."""
    if kind is not None and f"{act}:{kind}" in _BY_ACT:
        return _BY_ACT[f"{act}:{kind}"]
    return _BY_ACT.get(act, ())
