"""wso.http.lists over plain rows: pages of 25 ("Showing 26-50 of 80"), search, filter, sort with blanks last,
links that keep every other choice, a CSV cell a spreadsheet would run as a formula, and the "as of" instant."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from wso.http import lists
from wso.services.errors import InvalidInput


@dataclass(frozen=True)
class Row:
    name: str
    score: int | None
    done: bool


SPEC = lists.ListSpec(
    name="things",
    columns=(lists.Column("name", "Name", lambda r: r.name), lists.Column("score", "Score", lambda r: r.score)),
    default_sort="name",
    search_label="Search",
    searched=lambda r: (r.name,),
    statuses=(("done", "Done", lambda r: r.done), ("open", "Open", lambda r: not r.done)),
    csv_header=("name", "score", "as_of"),
    csv_row=lambda r, at: (r.name, r.score, lists.iso(at)),
)
ROWS = [Row(f"row {n:02d}", None if n % 10 == 0 else n, n % 2 == 0) for n in range(80)]


def view(**query: str) -> lists.Listing:
    return lists.listing(ROWS, SPEC, lists.read_query(query, SPEC), path="/things")


def test_the_second_page_of_80_rows_shows_26_to_50_and_links_both_ways() -> None:
    second = view(page="2")
    assert (second.first, second.last, second.count, second.pages) == (26, 50, 80, 4)
    assert [r.name for r in second.rows][:1] == ["row 25"]
    assert second.page_url(1) == "/things" and second.page_url(3) == "/things?page=3"
    assert view(page="4").rows[-1].name == "row 79" and (view(page="4").first, view(page="4").last) == (76, 80)


def test_search_filter_and_sort_compose_and_links_keep_the_other_choices() -> None:
    chosen = view(q="ROW 1", status="done", sort="score", order="desc")
    assert [r.name for r in chosen.rows] == ["row 18", "row 16", "row 14", "row 12", "row 10"]  # row 10: no score, last
    assert chosen.sort_url("score") == "/things?q=ROW+1&status=done&sort=score"  # the other order, from page 1
    assert chosen.aria_sort("score") == "descending" and chosen.aria_sort("name") == "none"
    assert chosen.csv_url == "/things?q=ROW+1&status=done&sort=score&order=desc&format=csv"


@pytest.mark.parametrize(
    ("query", "field"),
    [({"page": "abc"}, "page"), ({"page": "-1"}, "page"), ({"page": "5"}, "page"), ({"sort": "x"}, "sort"),
     ({"order": "up"}, "order"), ({"status": "late"}, "status"), ({"format": "pdf"}, "format"),
     ({"q": "x" * 201}, "q")],
)  # fmt: skip
def test_a_value_that_names_nothing_is_refused_naming_its_parameter(query: dict[str, str], field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        view(**query)
    assert refused.value.field == field


def test_the_csv_has_a_header_every_matching_row_and_no_formula() -> None:
    rows = [Row("=HYPERLINK(1)", 1, True), Row("plain", 2, True)] + [Row(f"x{n}", n, True) for n in range(30)]
    chosen = lists.listing(rows, SPEC, lists.read_query({"format": "csv"}, SPEC), path="/things")
    at = datetime(2026, 11, 26, 20, 5, tzinfo=UTC)
    body = lists.csv_response(chosen, filename="things", at=at).body.decode()
    parsed = list(csv.reader(io.StringIO(body)))
    assert parsed[0] == ["name", "score", "as_of"] and len(parsed) == 33  # the header and all 32, not a page of 25
    assert parsed[1] == ["'=HYPERLINK(1)", "1", "2026-11-26T20:05:00+00:00"]


def test_as_of_reads_a_local_time_in_the_zone_or_an_instant_with_its_offset() -> None:
    now = datetime(2026, 11, 26, 20, 5, tzinfo=UTC)
    assert lists.as_of("", zone="America/Chicago", now=now) is now
    local = lists.as_of("2026-11-26T14:05", zone="America/Chicago", now=now)
    assert local == now and local.utcoffset() is not None
    assert lists.as_of("2026-11-26T20:05+00:00", zone="America/Chicago", now=now) == now
    with pytest.raises(InvalidInput, match="happens twice"):
        lists.as_of("2026-11-01T01:30", zone="America/Chicago", now=now)  # the clocks go back that night


@pytest.mark.parametrize(
    "instant",
    [
        datetime(2026, 11, 26, 20, 5, tzinfo=UTC),
        datetime(2026, 11, 1, 6, 30, tzinfo=UTC),  # 01:30 CDT, the first time round
        datetime(2026, 11, 1, 7, 30, tzinfo=UTC),  # 01:30 CST, the second
        datetime(2028, 2, 29, 23, 59, tzinfo=UTC),
    ],
)
def test_one_date_format_on_the_records_pages_and_the_hold_board(instant: datetime) -> None:
    from wso.holds.pages import _local
    from wso.http.render import local_time

    shown = local_time(instant, "America/Chicago")
    assert shown == _local(instant, "America/Chicago")
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2} C[SD]T", shown), shown


def test_the_hour_that_repeats_is_told_apart_by_its_zone_abbreviation() -> None:
    from wso.http.render import local_time

    first, second = (local_time(datetime(2026, 11, 1, h, 30, tzinfo=UTC), "America/Chicago") for h in (6, 7))
    assert (first, second) == ("1 Nov 2026 01:30 CDT", "1 Nov 2026 01:30 CST")
