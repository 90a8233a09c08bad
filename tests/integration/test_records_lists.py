"""Issue 15 item 5: the records lists people can work with. The roster, an agency's complaints and its
agreements take a search, a status filter, a sort and a page in their address (so a view is a link),
export the same rows as CSV, and are drawn "as of" an instant; bad values get a 422 page naming the
parameter. On SQLite and PostgreSQL, through the pages as a signed-in coordinator."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.integration.web_support import SYSTEM, ZONE, World, sign_in
from wso.agreements import service as agreements
from wso.complaints import service as complaints
from wso.demo.crowd import add_officers
from wso.officers import service as officers
from wso.store.tables import AccessLog
from wso.store.uow import Store

ROW = re.compile(r'<tr data-officer="([^"]+)">')
STATUS = re.compile(r'data-status="([a-z_]+)"')


def officers_shown(html: str) -> list[str]:
    return ROW.findall(html)


def local(value: datetime) -> str:
    """A datetime-local value in the agencies' zone, as the "as of" picker sends it."""
    return f"{value.astimezone(ZoneInfo(ZONE)):%Y-%m-%dT%H:%M}"


def reads(database_url: str, entity: str) -> list[AccessLog]:
    store = Store(database_url)
    try:
        with store.unit_of_work() as uow:
            rows = list(
                uow.session.scalars(
                    select(AccessLog)
                    .where(AccessLog.entity == entity, AccessLog.action == "read")
                    .order_by(AccessLog.seq)
                )
            )
            uow.session.expunge_all()
            return rows
    finally:
        store.dispose()


@pytest.fixture
def thirty(world: World, database_url: str) -> list[str]:
    """Thirty synthetic officers of agency A (wso.demo.crowd's four profiles in turn)."""
    store = Store(database_url)
    try:
        return add_officers(store, agreement_id=world.agreement["a"], count=30, at=datetime.now(UTC))
    finally:
        store.dispose()


def test_the_roster_pages_by_25_and_says_which_rows_it_shows(
    client: TestClient, world: World, thirty: list[str]
) -> None:
    sign_in(client, world, "coord_a")
    path = f"/agencies/{world.agency['a']}/officers"
    first = client.get(path)
    assert first.status_code == 200
    assert officers_shown(first.text) == [f"Officer {n:04d} Synthetic" for n in range(25)]
    assert "Showing 1-25 of 30 officers" in first.text
    assert 'class="usa-pagination"' in first.text and 'aria-current="page"' in first.text
    assert f'href="{path}?page=2"' in first.text and "Download CSV (30 rows)" in first.text
    second = client.get(path, params={"page": "2"})
    assert officers_shown(second.text) == [f"Officer {n:04d} Synthetic" for n in range(25, 30)]
    assert "Showing 26-30 of 30 officers" in second.text and f'href="{path}"' in second.text  # previous: page 1


def test_the_roster_searches_filters_and_sorts_by_its_address(
    client: TestClient, world: World, thirty: list[str]
) -> None:
    sign_in(client, world, "coord_a")
    path = f"/agencies/{world.agency['a']}/officers"
    assert officers_shown(client.get(path, params={"q": "s-0007"}).text) == ["Officer 0007 Synthetic"]
    assert officers_shown(client.get(path, params={"q": "0012 synth"}).text) == ["Officer 0012 Synthetic"]
    api = client.get(f"/api/v1/agencies/{world.agency['a']}/officers", headers=world.headers("coord_a")).json()
    authorized = sorted(o["name"] for o in api if o["authorization"]["allowed"])
    assert 0 < len(authorized) < 30
    page = client.get(path, params={"status": "authorized"}).text
    assert officers_shown(page) == authorized[:25]
    assert set(re.findall(r'id="roster".*', page, re.S)[0] and STATUS.findall(page.split('id="roster"')[1])) == {
        "authorized"
    }
    withdrawn = client.get(path, params={"status": "withdrawn"}).text
    shown = officers_shown(withdrawn)
    assert shown and all(int(name.split()[1]) % 4 in (2, 3) for name in shown)  # crowd profiles 2 (O5) and 3 (C4)
    assert "not authorized" in withdrawn and ">O5<" in withdrawn or ">C4<" in withdrawn
    backwards = client.get(path, params={"sort": "name", "order": "desc"}).text
    assert officers_shown(backwards)[:2] == ["Officer 0029 Synthetic", "Officer 0028 Synthetic"]
    assert 'aria-sort="descending"' in backwards and f'href="{path}?sort=badge"' in backwards
    by_status = officers_shown(client.get(path, params={"sort": "authorization"}).text)
    assert by_status[: len(authorized)] == authorized  # "authorized" before "not_authorized"


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({"page": "abc"}, "page"),
        ({"page": "0"}, "page"),
        ({"page": "9"}, "page"),
        ({"sort": "nonsense"}, "sort"),
        ({"order": "up"}, "order"),
        ({"status": "bogus"}, "status"),
        ({"format": "xml"}, "format"),
        ({"at": "yesterday"}, "at"),
        ({"at": "2026-03-08T02:30"}, "at"),  # the clocks skip 02:30 that night in Chicago
    ],
)
def test_a_bad_list_value_is_a_422_page_naming_the_parameter(
    client: TestClient, world: World, query: dict[str, str], parameter: str
) -> None:
    sign_in(client, world, "coord_a")
    for path in (
        f"/agencies/{world.agency['a']}/officers",
        f"/agencies/{world.agency['a']}/complaints",
        f"/agencies/{world.agency['a']}",
    ):
        response = client.get(path, params=query)
        assert response.status_code == 422, (path, query)
        assert response.headers["content-type"].startswith("text/html")
        assert f'<strong class="field">{parameter}</strong>' in response.text, (path, response.text[-1500:])


def test_the_roster_csv_has_every_matching_row_iso_instants_and_logs_each_read(
    client: TestClient, world: World, database_url: str, thirty: list[str]
) -> None:
    sign_in(client, world, "coord_a")
    path = f"/agencies/{world.agency['a']}/officers"
    before = len(reads(database_url, "officer"))
    client.get(path)  # the page shows 25: 25 reads
    after_page = reads(database_url, "officer")
    assert len(after_page) - before == 25
    response = client.get(path, params={"format": "csv", "sort": "badge", "order": "desc"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["badge"] for r in rows] == [f"S-{n:04d}" for n in reversed(range(30))]  # every row, not one page
    assert list(rows[0]) == [
        "officer_id", "name", "badge", "authorization", "rule_ids", "unmet", "deadline", "deadline_at", "as_of"
    ]  # fmt: skip
    for row in rows:
        assert datetime.fromisoformat(row["as_of"]).utcoffset() is not None
        if row["deadline_at"]:
            assert datetime.fromisoformat(row["deadline_at"]).utcoffset() is not None
        assert row["authorization"] in ("authorized", "not_authorized")
        assert (row["unmet"] == "") == (row["authorization"] == "authorized")
    assert len(reads(database_url, "officer")) - len(after_page) == 30
    filtered = list(csv.DictReader(io.StringIO(client.get(path, params={"format": "csv", "q": "S-001"}).text)))
    assert [r["badge"] for r in filtered] == [f"S-{n:04d}" for n in range(10, 20)]


def test_the_roster_as_of_an_earlier_instant_says_so_and_decides_then(
    client: TestClient, world: World, thirty: list[str]
) -> None:
    sign_in(client, world, "coord_a")
    path = f"/agencies/{world.agency['a']}/officers"
    now = client.get(path, params={"q": "S-0000"}).text
    assert 'data-status="authorized"' in now and 'class="as-of"' not in now
    then = datetime.now(UTC) - timedelta(days=199)  # a day after crowd nominated them: nobody authorized yet
    earlier = client.get(path, params={"q": "S-0000", "at": local(then)})
    assert earlier.status_code == 200
    assert 'data-status="not_authorized"' in earlier.text and 'class="as-of"' in earlier.text
    shown = then.astimezone(ZoneInfo(ZONE))
    assert f'As of <time datetime="{shown.replace(second=0, microsecond=0).isoformat()}"' in earlier.text
    assert f'value="{local(then)}"' in earlier.text  # the picker keeps the instant
    assert "Show now" in earlier.text
    # The same instant with its offset (ISO 8601) is the same view.
    iso = shown.replace(second=0, microsecond=0).isoformat()
    assert 'data-status="not_authorized"' in client.get(path, params={"q": "S-0000", "at": iso}).text


def test_the_roster_and_the_agreements_as_of_an_instant_list_only_what_was_recorded_by_then(
    client: TestClient, world: World, database_url: str, thirty: list[str]
) -> None:
    """`?at=` shows the lists as they stood: the crowd was nominated 200 days ago, the second agreement
    recorded 60 days ago; a day before each, neither is listed (and the agency itself is still found)."""
    second = _moa_2019(database_url, world)
    sign_in(client, world, "coord_a")
    roster = f"/agencies/{world.agency['a']}/officers"
    assert len(officers_shown(client.get(roster, params={"q": "Synthetic"}).text)) == 25  # the first page of 30
    before = client.get(roster, params={"q": "Synthetic", "at": local(datetime.now(UTC) - timedelta(days=201))})
    assert before.status_code == 200 and officers_shown(before.text) == []
    exported = client.get(roster, params={"format": "csv", "at": local(datetime.now(UTC) - timedelta(days=201))})
    assert not [r for r in csv.DictReader(io.StringIO(exported.text)) if r["badge"].startswith("S-")]
    agency = f"/agencies/{world.agency['a']}"
    assert second in client.get(agency).text
    earlier = client.get(agency, params={"at": local(datetime.now(UTC) - timedelta(days=61))})
    assert earlier.status_code == 200 and second not in earlier.text


def _moa_2019(database_url: str, world: World, *, officer: bool = False) -> str:
    """A second agreement of agency A on the 2019 template, whose C3 sets a 90-day resolution target; with
    `officer`, the id of an officer nominated under it (complaints about them run C1's 48-hour notice too)."""
    store = Store(database_url)
    start = datetime.now(UTC) - timedelta(days=60)
    try:
        with store.unit_of_work() as uow:
            made = agreements.create_agreement(
                uow, actor=SYSTEM, at=start, agency_id=world.agency["a"], model="JEM", template="MOA-2019"
            )
        if not officer:
            return made.id
        with store.unit_of_work() as uow:
            return officers.nominate_officer(
                uow, actor=SYSTEM, at=start, agreement_id=made.id, name="Casey Sample", badge="T-1",
                citizen_attested=True, experience_attested=True, facility_training_attested=True,
                inmate_conduct_attested=True, records_access_authorized=True,
            ).id  # fmt: skip
    finally:
        store.dispose()


def _complaint(database_url: str, world: World, agreement_id: str | None, *, days_ago: float, summary: str, source: str,
               notified: bool = False, resolved: bool = False, officer_id: str | None = None) -> str:  # fmt: skip
    store = Store(database_url)
    received = datetime.now(UTC) - timedelta(days=days_ago)
    try:
        with store.unit_of_work() as uow:
            made = complaints.receive_complaint(
                uow, actor=SYSTEM, at=received, received_at=received, source=source, summary=summary,
                agreement_id=agreement_id, officer_id=officer_id, subject_name="" if officer_id else "Jordan Example",
            )  # fmt: skip
        if notified:
            with store.unit_of_work() as uow:
                complaints.notify_ice_of_complaint(
                    uow, actor=SYSTEM, at=received + timedelta(hours=2), complaint_id=made.id,
                    notified_at=received + timedelta(hours=2), notified_to="ICE duty officer",
                    expected_version=made.version,
                )  # fmt: skip
        if resolved:
            with store.unit_of_work() as uow:
                view = complaints.complaint_view(uow, actor=SYSTEM, complaint_id=made.id, at=datetime.now(UTC))
            with store.unit_of_work() as uow:
                complaints.resolve_complaint(
                    uow, actor=SYSTEM, at=received + timedelta(days=3), complaint_id=made.id,
                    resolved_at=received + timedelta(days=3), resolution="unfounded",
                    expected_version=view.version,
                )  # fmt: skip
        return made.id
    finally:
        store.dispose()


def test_a_met_deadline_is_never_the_next_one(client: TestClient, world: World, database_url: str) -> None:
    officer = _moa_2019(database_url, world, officer=True)
    notified = _complaint(database_url, world, None, days_ago=5, summary="Notified quickly", source="public",
                          notified=True, officer_id=officer)  # fmt: skip
    late = _complaint(database_url, world, None, days_ago=10, summary="Never notified", source="inmate",
                      officer_id=officer)  # fmt: skip
    sign_in(client, world, "coord_a")
    page = client.get(f"/agencies/{world.agency['a']}/complaints").text
    rows = {cid: page.split(f'href="/complaints/{cid}"')[1].split("</tr>")[0] for cid in (notified, late)}
    # ICE was told within two hours: the next deadline is C3's resolution, still to come.
    assert "resolution" in rows[notified] and "ice notification" not in rows[notified]
    assert 'data-meaning="due"' in rows[notified] and 'data-meaning="overdue"' not in rows[notified]
    # Nobody told ICE: its 48-hour notice passed, and it is the next (earliest unmet) deadline, overdue.
    assert "ice notification" in rows[late] and 'data-meaning="overdue"' in rows[late]
    one = client.get(f"/complaints/{notified}").text
    clocks = one.split('id="complaint-clocks"')[1].split("<tbody>")[1].split("</tbody>")[0]
    assert clocks.count('data-meaning="met"') == 1 and clocks.count('data-meaning="due"') == 1  # met is not red


def test_complaints_filter_search_sort_and_csv(client: TestClient, world: World, database_url: str) -> None:
    officer = _moa_2019(database_url, world, officer=True)
    overdue = _complaint(database_url, world, None, days_ago=10, summary="Late notice", source="inmate",
                         officer_id=officer)  # fmt: skip
    closed = _complaint(database_url, world, None, days_ago=20, summary="Handled", source="public",
                        notified=True, resolved=True, officer_id=officer)  # fmt: skip
    fresh = _complaint(database_url, world, None, days_ago=0.01, summary="Fresh complaint", source="ice",
                       officer_id=officer)  # fmt: skip
    sign_in(client, world, "coord_a")
    path = f"/agencies/{world.agency['a']}/complaints"

    def shown(**params: str) -> list[str]:
        return re.findall(r'href="/complaints/([^"]+)"', client.get(path, params=params).text)

    assert shown() == [closed, overdue, fresh]  # oldest first
    assert shown(status="open") == [overdue, fresh]
    assert shown(status="closed") == [closed]
    assert shown(status="overdue") == [overdue]
    assert shown(q="fresh") == [fresh] and shown(q="INMATE") == [overdue]
    assert shown(sort="received", order="desc") == [fresh, overdue, closed]
    assert shown(sort="source") == [fresh, overdue, closed]  # ice, inmate, public
    rows = list(csv.DictReader(io.StringIO(client.get(path, params={"format": "csv", "status": "open"}).text)))
    assert [r["complaint_id"] for r in rows] == [overdue, fresh]
    assert [r["next_deadline_state"] for r in rows] == ["overdue", "due"]
    assert all(datetime.fromisoformat(r["received_at"]).utcoffset() is not None for r in rows)
    before = datetime.now(UTC) - timedelta(days=15)  # the fresh and the late one not received yet
    assert shown(at=local(before)) == [closed]


def test_the_agency_agreements_list_filters_sorts_and_exports(
    client: TestClient, world: World, database_url: str
) -> None:
    second = _moa_2019(database_url, world)  # not signed
    sign_in(client, world, "coord_a")
    path = f"/agencies/{world.agency['a']}"

    def shown(**params: str) -> list[str]:
        page = client.get(path, params=params).text.split('id="agreement-list"')[1].split("</table>")[0]
        return re.findall(r'href="/agreements/([^"]+)"', page)

    assert shown() == [world.agreement["a"], second]  # signed first, the unsigned one last
    assert shown(status="not_signed") == [second] and shown(status="in_force") == [world.agreement["a"]]
    assert shown(q="jem") == [second] and shown(q="MOA-2025") == [world.agreement["a"]]
    assert shown(sort="model") == [second, world.agreement["a"]]  # JEM before WSO
    assert shown(sort="model", order="desc") == [world.agreement["a"], second]
    rows = list(csv.DictReader(io.StringIO(client.get(path, params={"format": "csv"}).text)))
    assert [(r["agreement_id"], r["status"]) for r in rows] == [
        (world.agreement["a"], "in_force"),
        (second, "not_signed"),
    ]
    assert datetime.fromisoformat(rows[0]["lea_signed_at"]).utcoffset() is not None and rows[1]["lea_signed_at"] == ""


def test_what_is_due_as_of_an_instant(client: TestClient, world: World) -> None:
    sign_in(client, world, "coord_a")
    path = f"/agencies/{world.agency['a']}/due"
    assert 'class="as-of"' not in client.get(path).text
    then = datetime.now(UTC) + timedelta(days=400)
    later = client.get(path, params={"at": local(then)})
    assert later.status_code == 200 and 'class="as-of"' in later.text and 'name="at"' in later.text
    assert client.get(path, params={"at": "soon"}).status_code == 422


def test_reasons_show_a_tick_or_a_cross_with_words_failing_ones_first(
    client: TestClient, world: World, thirty: list[str]
) -> None:
    sign_in(client, world, "coord_a")
    api = client.get(f"/api/v1/officers/{thirty[1]}", headers=world.headers("coord_a")).json()
    kept = [r["satisfied"] for r in api["authorization"]["reasons"]]
    assert False in kept and True in kept and kept != sorted(kept)  # the rule lists them met and unmet mixed
    page = client.get(f"/officers/{thirty[1]}").text
    block = page.split('id="authorization-reasons"')[1].split("</ul>")[0]
    verdicts = re.findall(r'<li class="reason-(met|not-met)"><span class="mark" aria-hidden="true">(.)</span> '
                          r'<span class="verdict">(met|not met)', block)  # fmt: skip
    assert len(verdicts) == len(kept)
    assert [v[0] for v in verdicts] == ["not-met"] * kept.count(False) + ["met"] * kept.count(True)
    assert all(
        (mark, words) == (("✗", "not met") if cls == "not-met" else ("✓", "met")) for cls, mark, words in verdicts
    )
    again = client.get(f"/api/v1/officers/{thirty[1]}", headers=world.headers("coord_a")).json()
    assert [r["satisfied"] for r in again["authorization"]["reasons"]] == kept  # the decision itself is not reordered


def test_pages_state_rule_numbers_from_params_not_from_the_template(
    client: TestClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """S3's minimum length is the parameter's value (a changed value shows), and the complaints list names C1 and C3
    with links to the rules instead of typing their numbers (C3 sets no time under the 2025 template)."""
    from wso.http import templating
    from wso.params import default_params

    sign_in(client, world, "coord_a")
    minimum = default_params().at("security.password_min_length", datetime.now(UTC)).value
    assert f"at least {minimum} characters" in client.get("/account").text
    monkeypatch.setitem(templating.templates.env.globals, "current_param", lambda key: 99)
    assert "at least 99 characters" in client.get("/account").text
    complaints = client.get(f"/agencies/{world.agency['a']}/complaints").text
    assert 'href="/rules#rule-C1"' in complaints and 'href="/rules#rule-C3"' in complaints
    assert "90 days" not in complaints and "48 hours" not in complaints
