"""Checking that every quoted `wording` in params is found verbatim in the text it cites.

Why: a quote is what counsel reads instead of the agreement; a quote that drops "absent unforeseen
exigent circumstances" or "make every effort" changes the law it reports. The agreement texts we hold
(`data/ice/moa/*.txt` in the shared folder) are OCR extracts, so the comparison ignores case,
whitespace (OCR drops spaces: "ofreceipt"), hyphenation at line breaks and the shape of quote marks.
A quote may shorten the text with "..." and mark an edit in brackets ("[LEA]" for "PCSO"): each
piece between them must appear, in order.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from wso.params.loader import ParamSet

# Which extracted text a reference names: the first of these short names found in it.
TEXT_FILES = {
    "MOA-2019": "wso-2019-pinellas-fl.txt",
    "MOA-2025": "wso-2025-crenshaw-al.txt",
    "JEM-2020": "jem-2020-etowah-al.txt",
    "TFM-2025": "tfm-2025-pinellas-fl.txt",
}
# OCR misreadings in the extracts we hold (checked against the PDFs), mended before comparing.
OCR_MENDS = {
    "tennination": "termination",
    "fotwarded": "forwarded",
    "shaji": "shall",
    "otheiwise": "otherwise",
    "fonn": "form",
    "pwposes": "purposes",
    "jaiv": "jail/",
    "infonnation": "information",
}
_EDIT = re.compile(r"\[[^\]]*\]|\.\.\.|\u2026")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "`": "'"})


def default_moa_dir() -> Path:
    """WSO_MOA_DIR, else WSO_SHARED_DIR/data/ice/moa, else ../shared/data/ice/moa beside the checkout
    (as tests/paths.py finds ICE's sheets, with the same /work/shared fallback for worktrees)."""
    if os.environ.get("WSO_MOA_DIR"):
        return Path(os.environ["WSO_MOA_DIR"])
    if os.environ.get("WSO_SHARED_DIR"):
        return Path(os.environ["WSO_SHARED_DIR"]) / "data" / "ice" / "moa"
    checkout = Path(__file__).resolve().parents[3]
    candidates = [checkout.parent / "shared" / "data" / "ice" / "moa", Path("/work/shared/data/ice/moa")]
    return next((c for c in candidates if c.is_dir()), candidates[0])


def normalise(text: str) -> str:
    """Lower case, straight quotes, words joined across hyphenated line breaks, no whitespace at all."""
    text = text.translate(_QUOTES).lower()
    text = re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", text)
    text = re.sub(r"\s+", "", text)
    for misread, meant in OCR_MENDS.items():
        text = text.replace(misread, meant)
    return text


def found_verbatim(wording: str, text: str) -> bool:
    """Each piece of `wording` between "..." or "[edit]" marks occurs in `text`, in order."""
    haystack = normalise(text)
    position = 0
    for piece in _EDIT.split(wording):
        needle = normalise(piece)
        if not needle:
            continue
        found = haystack.find(needle, position)
        if found < 0:
            return False
        position = found + len(needle)
    return True


def cited_text(reference: str) -> str | None:
    """The short name of the held text a reference cites first (MOA-2019...), or None."""
    hits = [(reference.find(name), name) for name in TEXT_FILES if name in reference]
    return min(hits)[1] if hits else None


@dataclass(frozen=True)
class QuoteProblem:
    parameter: str
    version: str
    text: str
    wording: str

    def __str__(self) -> str:
        return f"{self.parameter} ({self.version}): wording not found verbatim in {self.text}: {self.wording!r}"


def quote_problems(params: ParamSet, *, moa_dir: Path) -> list[QuoteProblem]:
    """Every quoted wording whose cited text is held in `moa_dir` but does not contain it."""
    texts: dict[str, str] = {}
    problems: list[QuoteProblem] = []
    for name in params.names():
        for version in params.parameter(name).versions:
            if not version.wording:
                continue
            source = cited_text(version.reference)
            if source is None or not (moa_dir / TEXT_FILES[source]).is_file():
                continue
            if source not in texts:
                texts[source] = (moa_dir / TEXT_FILES[source]).read_text(encoding="utf-8", errors="replace")
            if not found_verbatim(version.wording, texts[source]):
                problems.append(QuoteProblem(name, version.version, TEXT_FILES[source], version.wording))
    return problems
