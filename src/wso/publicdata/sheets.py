"""Reading ICE's "participating agencies" and "pending agencies" spreadsheets as ICE publishes them.

Each data row becomes a `SheetRow` (one agreement, rule A1) or a rejection naming its row,
field and reason; nothing is dropped or "fixed" silently. What the reader does to a cell:

- trims and collapses whitespace (ICE's cells carry trailing spaces and non-breaking spaces);
  this is counted in `cells_trimmed`, not flagged per row;
- reads SIGNED from a date cell; an Excel serial number or a text date in M/D/YYYY form is
  read too, and flagged; any other text is kept as typed (`signed_raw`) with no date, flagged;
  a date later than the sheet's own date (ICE once typed 5025) is kept as read and flagged;
- keeps a blank TYPE or COUNTY blank, flagged; Excel's "#N/A" (in COUNTY, ICE's usual mark for a
  city or state agency) is read as missing, i.e. blank, and not flagged, since it is the sheet's
  convention, not a value (issue 15: pages showed "#N/A" as if it were a county's name);
- rejects a row only when it cannot name an agreement: unknown STATE, blank agency, or a
  SUPPORT TYPE that is not one of ICE's three models.

A whole file is refused (`SheetError`) when it is not a readable .xlsx, has no header row or
lacks a column its kind needs. Columns come and go over time (ADDENDUM appeared in July 2025),
so columns are found by their header text, never by position.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qs, urlparse

from wso.publicdata.states import state_code

SheetKind = Literal["participating", "pending"]

# ICE's spelling of each model in SUPPORT TYPE, and the short code the rules core uses.
SUPPORT_TYPES: dict[str, str] = {
    "Jail Enforcement Model": "JEM",
    "Task Force Model": "TFM",
    "Warrant Service Officer": "WSO",
}
# Excel's error value for "not available": a missing value, never text to show or compare.
EXCEL_MISSING = frozenset({"#N/A"})
MODEL_NAMES: dict[str, str] = {code: name for name, code in SUPPORT_TYPES.items()}
_SUPPORT_BY_KEY = {name.casefold(): name for name in SUPPORT_TYPES}

STATE = "STATE"
AGENCY = "LAW ENFORCEMENT AGENCY"
TYPE = "TYPE"
COUNTY = "COUNTY"
SUPPORT_TYPE = "SUPPORT TYPE"
SIGNED = "SIGNED"
MOA = "MOA"
ADDENDUM = "ADDENDUM"

REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "participating": (STATE, AGENCY, TYPE, COUNTY, SUPPORT_TYPE, SIGNED, MOA),
    "pending": (STATE, AGENCY, TYPE, COUNTY, SUPPORT_TYPE),
}
OPTIONAL_COLUMNS = (ADDENDUM,)

# ICE names its files participatingAgencies07182025pm.xlsx: kind, MMDDYYYY, am/pm.
_FILE_NAME = re.compile(r"(participating|pending)agencies(\d{2})(\d{2})(\d{4})(am|pm)?", re.IGNORECASE)
_TEXT_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_HEADER_SEARCH_ROWS = 10


class SheetError(ValueError):
    """The file cannot be imported at all: names the file and what is wrong with it."""

    def __init__(self, file: str, reason: str) -> None:
        super().__init__(f"{file}: {reason}")
        self.file = file
        self.reason = reason


@dataclass(frozen=True)
class RowIssue:
    """A problem with one cell: a reason to reject the row, or a flag on a kept row."""

    row: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}, {self.field}: {self.reason}"

    def to_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "reason": self.reason}


@dataclass(frozen=True)
class SheetRow:
    """One agreement as one snapshot lists it, cleaned of whitespace and nothing else."""

    row: int
    state: str
    agency: str
    agency_type: str
    county: str
    support_type: str
    model: str
    signed_on: dt.date | None
    signed_raw: str | None
    moa: str
    moa_url: str | None
    addendum: str
    addendum_url: str | None
    flags: tuple[RowIssue, ...] = ()


@dataclass(frozen=True)
class Sheet:
    """One snapshot file, read and validated; `rows` plus `rejected` account for every data row."""

    file_name: str
    sha256: str
    kind: SheetKind
    as_of: dt.date
    part: str
    columns: tuple[str, ...]
    rows: tuple[SheetRow, ...]
    rejected: tuple[RowIssue, ...]
    blank_rows: int
    cells_trimmed: int
    file_issues: tuple[str, ...] = field(default_factory=tuple)

    @property
    def rows_read(self) -> int:
        return len(self.rows) + len({issue.row for issue in self.rejected})

    @property
    def flags(self) -> tuple[RowIssue, ...]:
        return tuple(flag for row in self.rows for flag in row.flags)


def snapshot_from_name(file_name: str) -> tuple[SheetKind, dt.date, str] | None:
    """Kind, date and half-day of a sheet named as ICE names them, or None."""
    match = _FILE_NAME.search(file_name)
    if not match:
        return None
    kind, month, day, year, part = match.groups()
    try:
        as_of = dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
    return ("participating" if kind.lower() == "participating" else "pending"), as_of, (part or "").lower()


def read_sheet(path: Path, *, kind: SheetKind | None = None, as_of: dt.date | None = None) -> Sheet:
    """Read and validate one ICE spreadsheet; raise `SheetError` if the file as a whole is unusable.

    `kind` and `as_of` are needed only when the file is not named as ICE names its files.
    """
    name = path.name
    if not path.is_file():
        raise SheetError(name, "no such file")
    data = path.read_bytes()
    if not data:
        raise SheetError(name, "the file is empty (0 bytes); expected an .xlsx workbook")
    worksheet = _first_worksheet(path, name)
    header_row, columns = _find_header(worksheet, name)
    named = snapshot_from_name(name)
    if kind is None or as_of is None:
        if named is None:
            raise SheetError(
                name,
                "cannot tell the sheet's kind and date from its name (ICE names them like "
                "participatingAgencies07182025pm.xlsx); give --kind and --as-of",
            )
        kind = kind or named[0]
        as_of = as_of or named[1]
    part = named[2] if named else ""
    missing = [c for c in REQUIRED_COLUMNS[kind] if c not in columns]
    if missing:
        found = ", ".join(c for c in columns if c) or "none"
        raise SheetError(name, f"missing column {', '.join(missing)} for a {kind} sheet (found: {found})")
    reader = _RowReader(columns=columns, kind=kind, as_of=as_of)
    for cells in worksheet.iter_rows(min_row=header_row + 1):
        reader.read(cells)
    if not reader.rows and not reader.rejected:
        raise SheetError(name, "the sheet has a header but no data rows")
    return Sheet(
        file_name=name,
        sha256=hashlib.sha256(data).hexdigest(),
        kind=kind,
        as_of=as_of,
        part=part,
        columns=tuple(c for c in columns if c),
        rows=tuple(reader.rows),
        rejected=tuple(reader.rejected),
        blank_rows=reader.blank_rows,
        cells_trimmed=reader.cells_trimmed,
        file_issues=tuple(reader.file_issues),
    )


def _first_worksheet(path: Path, name: str) -> Any:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        # Not read-only: the MOA and ADDENDUM cells say "link" and keep the address as a hyperlink,
        # which only the full reader exposes (ICE's sheets are small enough for it).
        workbook = openpyxl.load_workbook(path, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise SheetError(name, f"not a readable .xlsx workbook ({type(exc).__name__}: {exc})") from None
    except Exception as exc:  # zipfile.BadZipFile and the XML parser's errors have no common base
        raise SheetError(name, f"not a readable .xlsx workbook ({type(exc).__name__}: {exc})") from None
    if not workbook.worksheets:
        raise SheetError(name, "the workbook has no worksheet")
    return workbook.worksheets[0]


def _find_header(worksheet: Any, name: str) -> tuple[int, list[str]]:
    for number, cells in enumerate(worksheet.iter_rows(max_row=_HEADER_SEARCH_ROWS, values_only=True), start=1):
        columns = [_clean(c).upper() if isinstance(c, str) else "" for c in cells]
        if STATE in columns and AGENCY in columns:
            return number, columns
    raise SheetError(
        name,
        f"no header row with {STATE!r} and {AGENCY!r} in the first {_HEADER_SEARCH_ROWS} rows "
        "(an empty sheet, or not an ICE participating/pending agencies sheet)",
    )


def _clean(value: str) -> str:
    return " ".join(value.replace("\xa0", " ").split())


def _unwrap_link(target: str | None) -> str | None:
    """The real address behind an Outlook "safelinks" redirect that ICE's sheets sometimes carry."""
    if not target:
        return None
    parsed = urlparse(target)
    if parsed.netloc.endswith("safelinks.protection.outlook.com"):
        inner = parse_qs(parsed.query).get("url")
        if inner:
            return inner[0]
    return target


class _RowReader:
    """Turns worksheet rows into `SheetRow`s and `RowIssue`s, counting what it normalizes."""

    def __init__(self, *, columns: list[str], kind: SheetKind, as_of: dt.date) -> None:
        self.index = {c: i for i, c in enumerate(columns) if c}
        self.unnamed = [i for i, c in enumerate(columns) if not c]
        self.kind = kind
        self.as_of = as_of
        self.rows: list[SheetRow] = []
        self.rejected: list[RowIssue] = []
        self.file_issues: list[str] = []
        self.blank_rows = 0
        self.cells_trimmed = 0

    def _text(self, cells: tuple[Any, ...], column: str) -> str:
        i = self.index.get(column)
        if i is None or i >= len(cells):
            return ""
        value = cells[i].value
        if value is None:
            return ""
        text = value if isinstance(value, str) else str(value)
        cleaned = _clean(text)
        if cleaned != text:
            self.cells_trimmed += 1
        return cleaned

    def _link(self, cells: tuple[Any, ...], column: str) -> str | None:
        i = self.index.get(column)
        if i is None or i >= len(cells):
            return None
        link = getattr(cells[i], "hyperlink", None)
        return _unwrap_link(link.target if link is not None else None)

    def read(self, cells: tuple[Any, ...]) -> None:
        if not cells:
            return
        number = cells[0].row
        if all(c.value is None or (isinstance(c.value, str) and not c.value.strip()) for c in cells):
            self.blank_rows += 1
            return
        rejections: list[RowIssue] = []
        flags: list[RowIssue] = []

        state_text = self._text(cells, STATE)
        code = state_code(state_text) if state_text else None
        if not state_text:
            rejections.append(RowIssue(number, STATE, "blank; the row names no state"))
        elif code is None:
            rejections.append(RowIssue(number, STATE, f"{state_text!r} is not a US state or territory"))
        agency = self._text(cells, AGENCY)
        if not agency:
            rejections.append(RowIssue(number, AGENCY, "blank; the row names no agency"))
        support_text = self._text(cells, SUPPORT_TYPE)
        support = _SUPPORT_BY_KEY.get(support_text.casefold())
        if support is None:
            known = ", ".join(repr(s) for s in SUPPORT_TYPES)
            shown = repr(support_text) if support_text else "blank"
            rejections.append(RowIssue(number, SUPPORT_TYPE, f"{shown} is not one of ICE's models ({known})"))
        if rejections:
            self.rejected.extend(rejections)
            return

        agency_type = self._text(cells, TYPE)
        if not agency_type:
            flags.append(RowIssue(number, TYPE, "blank; kept blank"))
        elif agency_type.upper() in EXCEL_MISSING:
            flags.append(RowIssue(number, TYPE, f"{agency_type!r}: Excel's mark for a missing value; kept blank"))
            agency_type = ""
        county = self._text(cells, COUNTY)
        if not county:
            flags.append(RowIssue(number, COUNTY, "blank; kept blank"))
        elif county.upper() in EXCEL_MISSING:
            county = ""  # ICE's convention for an agency with no county: missing, not flagged
        signed_on, signed_raw = (None, None)
        if self.kind == "participating":
            signed_on, signed_raw = self._signed(cells, number, flags)
        moa = self._text(cells, MOA)
        addendum = self._text(cells, ADDENDUM)
        for i in self.unnamed:
            if i < len(cells) and cells[i].value not in (None, "") and str(cells[i].value).strip():
                flags.append(
                    RowIssue(number, f"column {i + 1}", f"value {cells[i].value!r} under no header; not imported")
                )
        self.rows.append(
            SheetRow(
                row=number,
                state=code or "",
                agency=agency,
                agency_type=agency_type,
                county=county,
                support_type=support or "",
                model=SUPPORT_TYPES[support or ""],
                signed_on=signed_on,
                signed_raw=signed_raw,
                moa=moa,
                moa_url=self._link(cells, MOA) or (moa if moa.startswith("http") else None),
                addendum=addendum,
                addendum_url=self._link(cells, ADDENDUM),
                flags=tuple(flags),
            )
        )

    def _signed(self, cells: tuple[Any, ...], number: int, flags: list[RowIssue]) -> tuple[dt.date | None, str | None]:
        """SIGNED as a date when it is one, else None and the text as typed; every oddity flagged."""
        value = cells[self.index[SIGNED]].value if self.index[SIGNED] < len(cells) else None
        day: dt.date | None = None
        raw: str | None = None
        if value is None or (isinstance(value, str) and not value.strip()):
            flags.append(RowIssue(number, SIGNED, "blank; no signing date"))
            return None, None
        if isinstance(value, dt.datetime):
            day = value.date()
        elif isinstance(value, dt.date):
            day = value
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            from openpyxl.utils.datetime import from_excel

            try:
                converted = from_excel(value)
            except (ValueError, OverflowError, TypeError):
                converted = None
            if isinstance(converted, dt.datetime):
                day = converted.date()
                raw = str(value)
                flags.append(
                    RowIssue(
                        number,
                        SIGNED,
                        f"an Excel serial number {value!r} without date format; read as {day.isoformat()}",
                    )
                )
            else:
                raw = str(value)
                flags.append(
                    RowIssue(number, SIGNED, f"number {value!r} is not a date; kept as typed, no signing date")
                )
                return None, raw
        else:
            raw = _clean(str(value))
            match = _TEXT_DATE.fullmatch(raw)
            parsed: dt.date | None = None
            if match:
                month, mday, year = (int(g) for g in match.groups())
                try:
                    parsed = dt.date(year, month, mday)
                except ValueError:
                    parsed = None
            if parsed is None:
                flags.append(RowIssue(number, SIGNED, f"text {raw!r} is not a date; kept as typed, no signing date"))
                return None, raw
            day = parsed
            flags.append(RowIssue(number, SIGNED, f"typed as text {raw!r}; read as {day.isoformat()} (month/day/year)"))
        if day is not None and day > self.as_of:
            flags.append(
                RowIssue(
                    number,
                    SIGNED,
                    f"{day.isoformat()} is after the sheet's own date {self.as_of.isoformat()}; kept as read",
                )
            )
        return day, raw
