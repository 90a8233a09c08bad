"""Bad input rows: found, reported row by row and counted, while the valid rows are audited.

Why here and not in each engine: the checks are Ibis expressions too, so a Parquet file, a CSV, a
database table and a Spark table are judged alike. A missing required column makes every row bad
(each is listed); a missing optional column is read as empty; an instant without a UTC offset
(a naive timestamp column, or a CSV cell without offset) and an end before its start are bad rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from wso.audit.schema import INSTANT, Column
from wso.params import TEMPLATES

OFFSET = r"(Z|z|[+-]\d{2}(:?\d{2})?)$"
TRUE, FALSE = ("true", "t", "yes", "y", "1"), ("false", "f", "no", "n", "0", "")
LISTED_ROWS = 10_000  # rows listed one by one; all are counted


@dataclass(frozen=True)
class RowError:
    """One bad input row: where it is (line or key) and every reason, each naming its column."""

    where: str
    reasons: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.where}: " + "; ".join(self.reasons)


@dataclass(frozen=True)
class Checked:
    """A record table split into the valid rows and the listed bad ones."""

    valid: ir.Table
    errors: list[RowError]
    rejected: int


def _is_instant(kind: dt.DataType) -> bool:
    return kind.is_timestamp()


def check(
    table: ir.Table,
    columns: tuple[Column, ...],
    order: tuple[tuple[str, str], ...],
    *,
    key: str,
    kind: str,
    naive_means_utc: bool = False,
) -> Checked:
    """Conform `table` to the schema and separate the bad rows (listed up to LISTED_ROWS, all counted)."""
    present = set(table.columns)
    schema = table.schema()
    flags: dict[str, ir.BooleanValue] = {}
    values: dict[str, ir.Value] = {}
    for col in columns:
        target = ibis.dtype(col.type)
        if col.name not in present:
            values[col.name] = ibis.null(target)
            if col.required:
                flags[f"{col.name}: column missing from the input"] = ibis.literal(True)
            continue
        value = table[col.name]
        naive_type = _is_instant(schema[col.name]) and schema[col.name].timezone is None
        if col.type == INSTANT and naive_type and not naive_means_utc:
            flags[f"{col.name}: timestamp has no UTC offset (naive)"] = value.notnull()
            values[col.name] = ibis.null(target)
            continue
        values[col.name] = value if schema[col.name] == target else value.cast(target)
        if col.required:
            flags[f"{col.name}: required value is empty"] = value.isnull()
        if col.name == "template":  # A7: rules are looked up by the agreement's template
            flags[f"template: not one of {', '.join(TEMPLATES)}"] = value.notnull() & ~value.isin(list(TEMPLATES))
    row_flags = {f"_bad{i}": expr for i, expr in enumerate(flags.values())}
    conformed = table.select(**values, **row_flags)
    names = list(flags)
    for start, end in order:
        names.append(f"{end} is before {start}")
        row_flags[f"_bad{len(names) - 1}"] = (conformed[end] < conformed[start]).fill_null(False)
    marked = conformed.mutate(**{k: v for k, v in row_flags.items() if k not in conformed.columns})
    if not names:
        return Checked(marked.select(*[c.name for c in columns]), [], 0)
    any_bad = ibis.or_(*[marked[f"_bad{i}"] for i in range(len(names))])
    valid = marked.filter(~any_bad).select(*[c.name for c in columns])
    bad = marked.filter(any_bad)
    rejected = int(bad.count().execute())
    errors: list[RowError] = []
    if rejected:
        shown = bad.select(_key=bad[key].cast("string"), **{f"_bad{i}": bad[f"_bad{i}"] for i in range(len(names))})
        frame = shown.limit(LISTED_ROWS).to_pyarrow().to_pylist()
        for row in frame:
            reasons = tuple(n for i, n in enumerate(names) if row[f"_bad{i}"])
            errors.append(RowError(f"{kind} {row['_key'] or '(no key)'}", reasons))
    return Checked(valid, errors, rejected)


def read_csv(path: Path, columns: tuple[Column, ...], *, kind: str) -> tuple[pa.Table, list[RowError]]:
    """A CSV of records, typed by the schema; cells that cannot be read make their row bad (by line).

    Instants must carry a UTC offset (`2025-03-09T01:30:00-05:00` or `...Z`): a local time without one
    is ambiguous across DST and is refused, never guessed."""
    raw = pacsv.read_csv(
        path,
        convert_options=pacsv.ConvertOptions(
            column_types={c.name: pa.string() for c in columns}, strings_can_be_null=True
        ),
    )
    n = raw.num_rows
    problems: list[list[str]] = [[] for _ in range(n)]
    typed: dict[str, pa.Array] = {}
    for col in columns:
        if col.name not in raw.column_names:
            continue  # check() reports a missing column on every row
        text = pc.utf8_trim_whitespace(raw[col.name].combine_chunks())
        text = pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
        if col.type == INSTANT:
            naive = pc.and_(pc.is_valid(text), pc.invert(pc.match_substring_regex(text, OFFSET)))
            typed[col.name] = _cast_cells(pc.if_else(naive, pa.scalar(None, pa.string()), text), col, problems)
            for i in pc.indices_nonzero(naive.fill_null(False)).to_pylist():
                problems[i].append(f"{col.name}: {text[i].as_py()!r} has no UTC offset")
        elif col.type == pa.bool_():
            lowered = pc.utf8_lower(text)
            ok = pc.or_(pc.is_in(lowered, pa.array(TRUE + FALSE)), pc.is_null(lowered))
            for i in pc.indices_nonzero(pc.invert(ok)).to_pylist():
                problems[i].append(f"{col.name}: {text[i].as_py()!r} is not true or false")
            typed[col.name] = pc.if_else(
                pc.is_null(lowered), pa.scalar(None, pa.bool_()), pc.is_in(lowered, pa.array(TRUE))
            )
        else:
            typed[col.name] = _cast_cells(text, col, problems)
    table = pa.table(dict(typed.items()))
    bad = [i for i, p in enumerate(problems) if p]
    errors = [RowError(f"{kind} line {i + 2}", tuple(problems[i])) for i in bad]
    if bad:
        keep = pa.array([not p for p in problems])
        table = table.filter(keep)
    return table, errors


def _cast_cells(text: pa.Array, col: Column, problems: list[list[str]]) -> pa.Array:
    """Cast a column; when some cells fail, cast cell by cell to name each bad one."""
    try:
        return pc.cast(text, col.type)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        out = []
        for i, cell in enumerate(text.to_pylist()):
            try:
                out.append(pc.cast(pa.array([cell], pa.string()), col.type)[0].as_py())
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                problems[i].append(f"{col.name}: {cell!r} is not a valid {col.type_name}")
                out.append(None)
        return pa.array(out, col.type)
