"""Issue 15, items 2 and 3, through the pages: each role sees only the forms it may use (none that the
service would refuse), the officer's next step leads, read-only roles get one line saying who records
changes, and a serious act asks for confirmation before it writes; a correction un-does a withdrawal."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from tests.integration.web_support import USERS, World, sign_in
from wso.services.commands import allowed
from wso.services.permissions import Actor

_FORM = re.compile(r'<form\b[^>]*\bmethod="post"[^>]*\baction="([^"]+)"[^>]*\bid="form-([\w-]+)"')
_ANY_POST = re.compile(r'<form\b[^>]*\bmethod="post"[^>]*\baction="([^"]+)"')


def _records(client: TestClient, world: World) -> dict[str, str]:
    """An officer and a complaint about them in agency a, made through the API as its coordinator."""
    headers = world.headers("coord_a")
    officer = client.post(
        f"/api/v1/agreements/{world.agreement['a']}/officers",
        json={
            "name": "Lee Park",
            "citizen_attested": True,
            "experience_attested": True,
            "facility_training_attested": True,
            "inmate_conduct_attested": True,
        },
        headers=headers,
    ).json()
    complaint = client.post(
        "/api/v1/complaints",
        json={
            "received_at": (datetime.now(UTC) - timedelta(hours=2)).isoformat(),
            "source": "inmate",
            "summary": "rough handling",
            "officer_id": officer["id"],
        },
        headers=headers,
    ).json()
    return {
        "officer": f"/officers/{officer['id']}",
        "agreement": f"/agreements/{world.agreement['a']}",
        "complaint": f"/complaints/{complaint['id']}",
    }


def _post_forms(html: str) -> list[str]:
    return [action for action in _ANY_POST.findall(html) if action != "/logout"]


@pytest.mark.parametrize("username", ["coord_a", "super_a", "clerk_a", "auditor", "admin"])
def test_each_role_sees_only_the_forms_its_service_accepts(world: World, username: str) -> None:
    with TestClient(world.app, follow_redirects=False) as setup:
        pages = _records(setup, world)
    role, key = USERS[username]
    actor = Actor(user_id=None, username=username, role=role, agency_id=world.agency[key] if key else None)
    with TestClient(world.app, follow_redirects=False) as client:
        sign_in(client, world, username)
        for name, path in pages.items():
            html = client.get(path).text
            forms = [(action, form_id) for action, form_id in _FORM.findall(html)]
            for _action, form_id in forms:
                operation = "void_officer_entry" if form_id.startswith("void-") else form_id
                assert allowed(operation, actor), (username, name, form_id)
            if not _post_forms(html):
                assert 'id="read-only"' in html and "changes to it are recorded by" in html, (username, name)
            else:
                assert 'id="read-only"' not in html, (username, name)
        officer_html = client.get(pages["officer"]).text
    if role == "auditor":
        assert _post_forms(officer_html) == []
        assert "changes to it are recorded by a supervisor or the coordinator." in officer_html
    if role == "coordinator":  # the next step leads: the background check, marked as the current step
        assert officer_html.index('id="next-step"') < officer_html.index('id="other-records"')
        next_step = officer_html[officer_html.index('id="next-step"') : officer_html.index('id="other-records"')]
        assert 'id="form-record_background_check"' in next_step
        current = re.search(r'<li class="[^"]*--current"\s+aria-current="step" data-step="(\w+)"', officer_html)
        assert current and current.group(1) == "record_background_check"
    if role == "supervisor":  # manages officers (the background check) but certifies nothing
        assert 'id="form-record_background_check"' in officer_html
        assert 'id="form-withdraw_authorization"' not in officer_html


def test_a_withdrawal_is_confirmed_before_it_is_written_and_can_be_corrected(world: World) -> None:
    with TestClient(world.app, follow_redirects=False) as client:
        pages = _records(client, world)
        csrf = sign_in(client, world, "coord_a")
        officer = pages["officer"]
        fields = {"notice_at": "2026-11-02T09:15", "effective_at": "2026-11-02T09:15", "reason": "FOD letter 12"}
        first = client.post(officer + "/withdrawals", data={"csrf_token": csrf, **fields})
        assert first.status_code == 200 and "Confirm: Withdraw authorization" in first.text
        assert "(O4, O5, H3)" in first.text and "(O6)" in first.text  # the consequences, with rule ids
        assert "FOD letter 12" in first.text and 'name="confirm" value="yes"' in first.text
        assert "FOD letter 12" not in client.get(officer).text  # nothing written before the confirmation
        back = client.post(officer + "/withdrawals", data={"csrf_token": csrf, **fields, "confirm": "back"})
        assert back.status_code == 200 and 'id="form-withdraw_authorization"' in back.text  # the form again,
        assert ">FOD letter 12</textarea>" in back.text  # with what was typed, and still nothing written
        assert "FOD letter 12" not in client.get(officer).text
        confirmed = client.post(officer + "/withdrawals", data={"csrf_token": csrf, **fields, "confirm": "yes"})
        assert confirmed.status_code == 303
        html = client.get(officer).text
        withdrawal_id = re.search(r'name="entry_id" value="([\w-]+)"', html).group(1)  # type: ignore[union-attr]
        void = {"entry": "withdrawal", "entry_id": withdrawal_id, "reason": "entered on the wrong officer"}
        asked = client.post(officer + "/corrections", data={"csrf_token": csrf, **void})
        assert asked.status_code == 200 and "Confirm: Void officer entry" in asked.text
        assert (
            client.post(officer + "/corrections", data={"csrf_token": csrf, **void, "confirm": "yes"}).status_code
            == 303
        )
        html = client.get(officer).text
        assert "<del>withdrawal" in html and "recorded in error: marked by coord_a (coordinator)" in html
        assert "entered on the wrong officer" in html


def test_bad_input_to_a_serious_act_goes_to_the_form_error_not_the_confirmation(world: World) -> None:
    with TestClient(world.app, follow_redirects=False) as client:
        pages = _records(client, world)
        csrf = sign_in(client, world, "coord_a")
        response = client.post(
            pages["officer"] + "/withdrawals", data={"csrf_token": csrf, "notice_at": "soon", "effective_at": ""}
        )
        assert response.status_code == 422 and "Confirm:" not in response.text


def test_the_api_corrects_without_asking_and_refuses_a_clerk(world: World) -> None:
    with TestClient(world.app, follow_redirects=False) as client:
        officer = _records(client, world)["officer"]
        now = datetime.now(UTC).isoformat()
        body = {"notice_at": now, "effective_at": now}
        view = client.post(f"/api/v1{officer}/withdrawals", json=body, headers=world.headers("coord_a")).json()
        void = {"entry": "withdrawal", "entry_id": view["withdrawals"][0]["id"], "reason": "wrong officer"}
        refused = client.post(f"/api/v1{officer}/corrections", json=void, headers=world.headers("clerk_a"))
        assert refused.status_code == 403
        done = client.post(f"/api/v1{officer}/corrections", json=void, headers=world.headers("coord_a"))
        assert done.status_code == 200, done.text
        assert done.json()["withdrawals"][0]["voided_by"] == "coord_a (coordinator)"
