"""Issue 14, items 1 and 2: decisions come from what the ledger proves; nobody with only database
access can forge, rewrite, truncate or un-checkpoint it unseen. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import stat
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.integration.records_support import SYSTEM, County, authorize, later, nominate
from tests.integration.security_support import count, raw, rewrite_history, wso
from wso.demo import load_demo
from wso.officers import service as officers
from wso.services import ledger as ledger_service
from wso.store import tables
from wso.store.heads import read_heads
from wso.store.ledger import GENESIS, LedgerEvent, event_hash
from wso.store.projections import Event, Rows, UnknownEvent, register_projection, replay
from wso.store.signing import SigningKeyError, generate, load_key_file, signer_from_env, write_key_file
from wso.store.uow import Store


def withdrawn_officer(store: Store, county: County) -> tuple[str, str]:
    """An authorized officer whose authorization ICE then withdrew: (officer id, withdrawal id)."""
    oid = nominate(store, county)
    authorize(store, county, oid)
    with store.unit_of_work() as uow:
        view = officers.withdraw_authorization(
            uow,
            actor=county.coordinator,
            at=later(20),
            officer_id=oid,
            notice_at=later(20),
            effective_at=later(20),
            reason="FOD letter",
        )
    assert view.authorization.status == "not_authorized"
    return oid, view.withdrawals[0].id


def authorization_of(store: Store, county: County, oid: str) -> str:
    with store.unit_of_work() as uow:
        return officers.officer_view(uow, actor=county.coordinator, officer_id=oid, at=later(30)).authorization.status


# ---- item 1: verify folds every stream and compares with the projection rows ----------------------


def test_item1_deleted_withdrawal_and_edited_row_make_verify_exit_1_naming_them(
    store: Store, county: County, database_url: str
) -> None:
    oid, withdrawal_id = withdrawn_officer(store, county)
    assert wso("ledger", "verify", "--database", database_url)[0] == 0
    raw(store, "DELETE FROM withdrawals WHERE id = :w", w=withdrawal_id)
    raw(store, "UPDATE officers SET name = 'Someone Else' WHERE id = :o", o=oid)
    assert authorization_of(store, county, oid) == "authorized"  # what the attack buys: a decision flipped
    code, output = wso("ledger", "verify", "--database", database_url)
    assert code == 1, output
    assert f"withdrawals row {withdrawal_id} is missing" in output
    assert f"officers row {oid} column name: expected 'Officer A. Rivera', found 'Someone Else'" in output
    report = json.loads(wso("ledger", "verify", "--json", "--database", database_url)[1])
    found = {(d["table"], d["row_id"], d["column"], d["what"]) for d in report["differences"]}
    assert found == {("withdrawals", withdrawal_id, None, "missing"), ("officers", oid, "name", "differs")}
    assert report["breaks"] == []  # every hash chain is intact: only the fold sees this


def test_item1_a_row_added_by_hand_is_extra(store: Store, county: County, database_url: str) -> None:
    oid = nominate(store, county)
    raw(
        store,
        "INSERT INTO exam_attempts (id, officer_id, taken_at, score_percent) VALUES ('forged-1', :o, :t, 95)",
        o=oid,
        t=later(3),
    )
    code, output = wso("ledger", "verify", "--database", database_url)
    assert code == 1 and "exam_attempts row forged-1 is not in the ledger" in output


def test_item1_the_demo_database_verifies_clean(store: Store, database_url: str) -> None:
    load_demo(store, at=datetime(2026, 11, 25, 15, 0, tzinfo=UTC))
    code, output = wso("ledger", "verify", "--json", "--database", database_url)
    report = json.loads(output)
    assert code == 0 and report["differences"] == [] and report["breaks"] == [], output
    assert report["events"] > 50 and report["checkpoints"] == 1  # the genesis checkpoint


def _demo_events(store: Store) -> list[Event]:
    with store.unit_of_work() as uow:
        rows = uow.session.scalars(select(LedgerEvent).order_by(LedgerEvent.id))
        return [Event(x.id, x.stream, x.seq, x.type, x.at, x.actor, x.data) for x in rows]


def test_item1_each_stream_of_the_demo_ledger_folds_to_exactly_its_projection_rows(store: Store) -> None:
    """Issue 11 item 1: every stream of the demo ledger is folded (wso.events.rows and the areas' folds)
    and the rows found are exactly the tables' rows, table by table: none missing, none extra, no column
    different. Every event is in the catalog."""
    from wso.events.catalog import parse
    from wso.store.base import Base
    from wso.store.projections import compare_rows, projection_for, projections

    load_demo(store, at=datetime(2026, 11, 25, 15, 0, tzinfo=UTC))
    events = _demo_events(store)
    for event in events:
        parse(event.type, event.data)  # raises for a type or payload the catalog does not know
    streams = {e.stream for e in events}
    assert all(projection_for(stream) is not None for stream in streams)
    prefixes = {stream.split(":", 1)[0] for stream in streams}
    assert {"agency", "agreement", "officer", "complaint", "user", "hold", "facility", "ledger"} <= prefixes
    folded, problems = replay(events)
    assert problems == []
    compared = 0
    with store.unit_of_work() as uow:
        for projection in projections():
            for name in projection.tables:
                table = Base.metadata.tables[name]
                actual = {str(r["id"]): dict(r) for r in uow.session.execute(select(table)).mappings()}
                want = folded.get(name, {})
                if projection.compare is not None:
                    differences = projection.compare({name: want}, {name: actual})
                else:
                    differences = compare_rows(name, want, actual)
                    assert set(want) == set(actual), name
                assert differences == [], (name, differences[:3])
                compared += len(actual)
    # each aggregate stream produced its own row
    for stream in streams:
        prefix, entity = stream.split(":", 1)
        table = {"agency": "agencies", "agreement": "agreements", "officer": "officers", "complaint": "complaints"}
        if prefix in table and ":" not in entity:
            assert entity in folded[table[prefix]], stream
    assert compared > 50


def test_item1_facts_as_of_gives_the_services_facts_for_every_demo_record(store: Store) -> None:
    """The one fold (wso.events.facts.facts_as_of) over the demo ledger gives, for every agreement,
    officer and complaint, exactly the fact the services read from the tables (services/to_facts.py);
    and as of an earlier instant it ignores what was recorded later."""
    from wso.events.facts import facts_as_of
    from wso.services.to_facts import agreement_fact, complaint_fact, officer_fact

    now = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
    load_demo(store, at=now)
    events = _demo_events(store)
    facts = facts_as_of(events, now)
    with store.unit_of_work() as uow:
        agreements = list(uow.session.scalars(select(tables.Agreement)))
        officers_ = list(uow.session.scalars(select(tables.Officer)))
        complaints = list(uow.session.scalars(select(tables.Complaint)))
        assert agreements and officers_ and complaints
        assert {a.id: agreement_fact(uow, a) for a in agreements} == dict(facts.agreements)
        assert {o.id: officer_fact(uow, o) for o in officers_} == dict(facts.officers)
        assert {c.id: complaint_fact(c) for c in complaints} == dict(facts.complaints)
    assert set(facts.holds) == {e.entity_id for e in events if e.stream.startswith("hold:")}
    # As of an instant before the last event: exactly the fold of what was recorded by then.
    instants = sorted({e.at for e in events})
    for cut in (instants[len(instants) // 3], instants[2 * len(instants) // 3]):
        earlier = facts_as_of(events, cut)
        assert earlier == facts_as_of([e for e in events if e.at <= cut], cut)
        assert earlier != facts_as_of(events, instants[-1])


def test_item1_A4_facts_as_of_and_the_services_agree_on_officers_of_a_terminated_agreement(
    store: Store, county: County
) -> None:
    """A termination writes revocation rows (A4's record, `by_termination`); the fold over the ledger and
    the services' reading of the tables give the same officer facts. (A second copy of the row-to-fact
    conversion once lacked `by_termination`: this is the case where the two would part.)"""
    from wso.agreements import service as agreements
    from wso.events.facts import facts_as_of
    from wso.services.to_facts import officer_fact

    first = nominate(store, county, "Officer One")
    authorize(store, county, first)
    with store.unit_of_work() as uow:
        agreements.record_notice(
            uow,
            actor=county.coordinator,
            at=later(30),
            agreement_id=county.agreement_id,
            kind="termination",
            by="ICE",
            received_at=later(30),
        )
    facts = facts_as_of(_demo_events(store), later(400))
    with store.unit_of_work() as uow:
        officer = uow.session.get(tables.Officer, first)
        from_tables = officer_fact(uow, officer)
    assert any(w.by_termination for w in from_tables.withdrawals)
    assert facts.officers[first] == from_tables


def test_item1_projections_are_pluggable_by_stream_prefix() -> None:
    """An area registers its own fold (as the holds area will for `hold:<id>`); replay uses it."""

    def fold(rows: Rows, event: Event) -> None:
        if event.type != "widget.made":
            raise UnknownEvent(event.type)
        rows.setdefault("widgets", {})[event.entity_id] = {"colour": event.data["colour"]}

    register_projection("widget-test:", apply=fold, tables=())
    at = datetime(2026, 1, 1, tzinfo=UTC)
    rows, problems = replay(
        [
            Event(1, "widget-test:w1", 1, "widget.made", at, "x", {"colour": "red"}),
            Event(2, "widget-test:w2", 1, "widget.melted", at, "x", {}),
            Event(3, "nobody-registered:z", 1, "z", at, "x", {}),
        ]
    )
    assert rows == {"widgets": {"w1": {"colour": "red"}}}
    assert [p.row_id for p in problems] == ["widget-test:w2", "nobody-registered:z"]


def test_item1_an_event_type_the_catalog_does_not_know_is_refused_and_nothing_is_written(
    store: Store, county: County, database_url: str
) -> None:
    """Issue 11 item 1: every append goes through the event catalog (wso.events.catalog). An unknown
    type, a payload with a field the type does not have, or one missing a field or with a bad value,
    is refused with an error naming the type and the field; no event, no row, verify stays clean.
    (Before the catalog, such an event was written and only `wso ledger verify` noticed it.)"""
    from wso.events.base import InvalidEvent, UnknownEventType
    from wso.users import service as users

    with store.unit_of_work() as uow:
        user = users.create_user(
            uow,
            actor=SYSTEM,
            at=later(1),
            username="clerk1",
            password="long enough password",
            role="clerk",
            agency_id=county.agency_id,
        )
    before = count(store, LedgerEvent)
    attempts: list[tuple[str, dict, type[Exception], str]] = [
        ("user.test_password_changed", {}, UnknownEventType, "'user.test_password_changed'"),
        ("user.password_changed", {"password_hash": "x"}, InvalidEvent, "field 'password_hash'"),
        ("agreement.signed", {"party": "LEA"}, InvalidEvent, "field 'signed_at'"),
        ("agreement.signed", {"party": "FBI", "signed_at": later(2).isoformat()}, InvalidEvent, "field 'party'"),
        ("agreement.signed", {"party": "LEA", "signed_at": "2026-11-01T10:00"}, InvalidEvent, "field 'signed_at'"),
    ]
    for type_, payload, error, named in attempts:
        with store.unit_of_work() as uow:
            row = uow.session.get(tables.User, user.id)
            with pytest.raises(error) as caught:
                uow.append(
                    stream=f"user:{user.id}",
                    actor="clerk1 (clerk)",
                    at=later(2),
                    type=type_,
                    payload=payload,
                    aggregate=row,
                )
            uow.rollback()
        assert repr(type_) in str(caught.value), caught.value
        assert named in str(caught.value), caught.value
    assert count(store, LedgerEvent) == before
    code, output = wso("ledger", "verify", "--database", database_url)
    assert code == 0, output


# ---- item 2: signatures, published heads, genesis -------------------------------------------------


def test_item2_an_event_appended_by_a_database_writer_is_caught(
    store: Store, county: County, database_url: str
) -> None:
    """Correctly chained and hashed, in anyone's name: without the key it cannot be signed."""
    oid = nominate(store, county)
    with store.engine.connect() as conn:
        head = conn.execute(
            select(LedgerEvent.seq, LedgerEvent.hash)
            .where(LedgerEvent.stream == f"officer:{oid}")
            .order_by(LedgerEvent.seq.desc())
        ).first()
    payload = json.dumps({"withdrawal_id": "x"}, separators=(",", ":"))
    digest = event_hash(
        stream=f"officer:{oid}",
        seq=head.seq + 1,
        actor="coord (coordinator)",
        at=later(5),
        type="officer.suspension_lifted",
        payload=payload,
        prev_hash=head.hash,
    )
    for signature in (None, "ab" * 64):
        raw(store, "DELETE FROM ledger_events WHERE hash = :h", h=digest)
        raw(
            store,
            "INSERT INTO ledger_events (stream, seq, actor, at, type, payload, prev_hash, hash, key_id, signature) "
            "VALUES (:s, :q, 'coord (coordinator)', :at, 'officer.suspension_lifted', :p, :prev, :h, :k, :sig)",
            s=f"officer:{oid}",
            q=head.seq + 1,
            at=later(5),
            p=payload,
            prev=head.hash,
            h=digest,
            k=signer_from_env().key_id,
            sig=signature,
        )
        code, output = wso("ledger", "verify", "--database", database_url)
        assert code == 1
        assert ("is unsigned" if signature is None else "does not verify") in output


def test_item2_rewrite_detected_by_heads(store: Store, county: County, database_url: str, tmp_path: Path) -> None:
    """Triggers disabled, one withdrawal erased, everything re-chained, re-signed with the attacker's
    own key and re-checkpointed: only what was published outside the database shows it."""
    heads = tmp_path / "heads.jsonl"
    oid, withdrawal_id = withdrawn_officer(store, county)
    ledger_service.checkpoint_and_publish(store, heads_file=heads, now=later(31))
    public = tmp_path / "published.pub"
    public.write_bytes(signer_from_env().public_pem())
    with store.engine.connect() as conn:
        seq = conn.execute(
            select(LedgerEvent.seq).where(
                LedgerEvent.stream == f"officer:{oid}", LedgerEvent.type == "officer.authorization_withdrawn"
            )
        ).scalar_one()
    rewrite_history(store, key=generate(), drop_event=(f"officer:{oid}", seq), checkpoints=2)
    raw(store, "DELETE FROM withdrawals WHERE id = :w", w=withdrawal_id)
    raw(store, "UPDATE officers SET version = version - 1 WHERE id = :o", o=oid)
    assert authorization_of(store, county, oid) == "authorized"
    # Without anything published, the forgery is self-consistent: this is why heads are published.
    assert wso("ledger", "verify", "--database", database_url)[0] == 0
    code, output = wso("ledger", "verify", "--heads", str(heads), "--database", database_url)
    assert code == 1 and "differs from the published head" in output and "no published key endorses" in output
    code, output = wso("ledger", "verify", "--public-key", str(public), "--database", database_url)
    assert code == 1 and "no published key endorses" in output


def test_item2_truncation_detected_by_heads(store: Store, county: County, database_url: str, tmp_path: Path) -> None:
    heads = tmp_path / "heads.jsonl"
    oid = nominate(store, county)
    authorize(store, county, oid)
    ledger_service.checkpoint_and_publish(store, heads_file=heads, now=later(15))
    with store.unit_of_work() as uow:
        view = officers.withdraw_authorization(
            uow, actor=county.coordinator, at=later(20), officer_id=oid, notice_at=later(20), effective_at=later(20)
        )
    ledger_service.checkpoint_and_publish(store, heads_file=heads, now=later(21))
    assert wso("ledger", "verify", "--heads", str(heads), "--database", database_url)[0] == 0
    # The attacker cuts the officer's last event, its row and the checkpoint that covered it.
    raw(
        store,
        "DELETE FROM ledger_events WHERE stream = :s AND type = 'officer.authorization_withdrawn'",
        s=f"officer:{oid}",
    )
    raw(store, "DELETE FROM ledger_checkpoints WHERE seq = (SELECT max(seq) FROM ledger_checkpoints)")
    raw(store, "DELETE FROM withdrawals WHERE id = :w", w=view.withdrawals[0].id)
    raw(store, "UPDATE officers SET version = version - 1 WHERE id = :o", o=oid)
    assert wso("ledger", "verify", "--database", database_url)[0] == 0  # a clean truncation, seen from inside
    code, output = wso("ledger", "verify", "--heads", str(heads), "--database", database_url)
    assert code == 1 and "is missing from the database" in output


def test_item2_deleted_checkpoints_are_detected(store: Store, county: County, database_url: str) -> None:
    """A fresh ledger has a genesis checkpoint; deleting every checkpoint, then a stream, shows."""
    oid = nominate(store, county)
    raw(store, "DELETE FROM ledger_checkpoints")
    code, output = wso("ledger", "verify", "--database", database_url)
    assert code == 1 and "no checkpoint at all" in output
    raw(store, "DELETE FROM ledger_events WHERE stream = :s", s=f"officer:{oid}")
    code, output = wso("ledger", "verify", "--database", database_url)
    assert code == 1 and "no checkpoint at all" in output and f"officers row {oid} is not in the ledger" in output


def test_item2_verify_needs_only_the_public_key(
    store: Store, county: County, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    nominate(store, county)
    public = tmp_path / "ledger.pub"
    public.write_bytes(signer_from_env().public_pem())
    monkeypatch.delenv("WSO_SIGNING_KEY")
    monkeypatch.chdir(tmp_path)  # no var/signing.key here either
    code, output = wso("ledger", "verify", "--public-key", str(public), "--database", database_url)
    assert code == 0 and "against published key" in output, output


def test_item2_key_rotation_is_an_event_and_trust_follows_the_endorsement(
    store: Store, county: County, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = signer_from_env()
    nominate(store, county)
    published = tmp_path / "first.pub"
    published.write_bytes(first.public_pem())
    new_file = tmp_path / "second.key"
    code, output = wso("ledger", "keygen", str(new_file))
    assert code == 0, output
    code, output = wso("ledger", "rotate-key", "--new-key-file", str(new_file), "--database", database_url)
    assert code == 0, output
    monkeypatch.delenv("WSO_SIGNING_KEY")
    monkeypatch.setenv("WSO_SIGNING_KEY_FILE", str(new_file))
    second_store = Store(database_url)
    try:
        nominate(second_store, county, "Officer Signed By The Second Key")
    finally:
        second_store.dispose()
    code, output = wso("ledger", "verify", "--public-key", str(published), "--database", database_url)
    assert code == 0, output
    with store.engine.connect() as conn:
        types = (
            conn.execute(select(LedgerEvent.type).where(LedgerEvent.stream == "ledger:keys").order_by(LedgerEvent.seq))
            .scalars()
            .all()
        )
    assert types == ["ledger.key_registered", "ledger.key_rotated"]
    # A key that turns up without the old key's endorsement is not trusted by the auditor.
    rogue = tmp_path / "rogue.key"
    write_key_file(rogue, generate())
    monkeypatch.setenv("WSO_SIGNING_KEY_FILE", str(rogue))
    rogue_store = Store(database_url)
    try:
        nominate(rogue_store, county, "Officer Signed By A Rogue Key")
    finally:
        rogue_store.dispose()
    code, output = wso("ledger", "verify", "--public-key", str(published), "--database", database_url)
    assert code == 1 and "no published key endorses" in output


def test_item2_key_file_is_created_0600_and_a_readable_one_is_refused(tmp_path: Path) -> None:
    key = tmp_path / "var" / "signing.key"
    code, output = wso("ledger", "keygen", str(key))
    assert code == 0, output
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert load_key_file(key).key_id in output
    assert wso("ledger", "keygen", str(key))[0] == 2  # never overwritten
    os.chmod(key, 0o644)
    with pytest.raises(SigningKeyError, match="chmod 600"):
        load_key_file(key)


def test_item2_no_key_no_write(store: Store, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Without a signing key the program refuses to append (it never writes unsigned events)."""
    from wso.agencies import service as agencies

    monkeypatch.delenv("WSO_SIGNING_KEY")
    monkeypatch.chdir(tmp_path)
    bare = Store(store.url)
    try:
        with pytest.raises(SigningKeyError, match="no ledger signing key"), bare.unit_of_work() as uow:
            agencies.create_agency(
                uow, actor=SYSTEM, at=later(0), name="Unsigned County", state="FL", timezone="America/New_York"
            )
    finally:
        bare.dispose()


def test_item2_checkpoint_cli_publishes_and_posts_to_a_witness(
    store: Store, county: County, database_url: str, tmp_path: Path
) -> None:
    received: list[dict[str, object]] = []

    class Witness(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Witness)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    heads = tmp_path / "heads.jsonl"
    try:
        code, output = wso(
            "ledger",
            "checkpoint",
            "--publish",
            str(heads),
            "--webhook",
            f"http://127.0.0.1:{server.server_port}/heads",
            "--database",
            database_url,
        )
    finally:
        server.shutdown()
    assert code == 0, output
    published = read_heads(heads).heads
    assert len(published) == 1 and received == [published[0]]
    assert published[0]["seq"] == 2 and published[0]["prev_hash"] != GENESIS  # chained to the genesis checkpoint
    assert wso("ledger", "verify", "--heads", str(heads), "--database", database_url)[0] == 0


def test_item2_genesis_checkpoint_at_upgrade(empty_database_url: str) -> None:
    code, output = wso("db", "upgrade", "--database", empty_database_url)
    assert code == 0, output
    store = Store(empty_database_url)
    try:
        with store.unit_of_work() as uow:
            report = ledger_service.verify_ledger(uow, actor=SYSTEM)
    finally:
        store.dispose()
    assert report.ok and report.checkpoints == 1 and report.events == 1  # the key's registration
