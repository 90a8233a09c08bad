"""Issue 15 item 4 over HTTP: a refused form's error summary (every field at once, plain words, each message tied
to its field), no 405 on a form's URL, a version conflict that says who changed what, and the API's `errors` list."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.integration.test_web_pages import nominate_through_the_form, sign_in
from tests.integration.web_support import World


def version_in(html: str, form: str) -> str:
    found = re.search(rf'id="{form}-expected_version" name="expected_version" value="(\d+)"', html)
    assert found, f"no expected_version in {form}"
    return found.group(1)


def test_a_refused_form_lists_every_field_in_plain_words_tied_to_its_field(client: TestClient, world: World) -> None:
    csrf = sign_in(client, "coord_a", world)
    officer = nominate_through_the_form(client, world, csrf)
    page = client.post(officer + "/exam-attempts", data={"csrf_token": csrf, "taken_at": "", "score_percent": "abc"})
    assert page.status_code == 422
    html = page.text
    summary = html[html.index("data-error-summary") : html.index("</ul>", html.index("data-error-summary"))]
    assert 'role="alert"' in html[html.index("error-summary") - 200 : html.index("data-error-summary")]
    assert "There is a problem" in summary and 'tabindex="-1"' in html
    assert (
        '<a href="#record_exam_attempt-taken_at" data-field="taken_at">Enter the date and time the exam was taken</a>'
        in summary
    )
    assert 'href="#record_exam_attempt-score_percent"' in summary and "as a number from 0 to 100" in summary
    assert "unable to parse" not in html
    # Each message sits above its field, which points at it and is marked invalid; the input is kept.
    for field in ("taken_at", "score_percent"):
        fid = f"record_exam_attempt-{field}"
        assert f'<span class="usa-error-message" id="{fid}-error">' in html
        tag = re.search(rf'<input class="usa-input usa-input--error" id="{fid}"[^>]*>', html)
        assert tag and 'aria-invalid="true"' in tag.group(0) and f'aria-describedby="{fid}-error"' in tag.group(0)
    assert 'value="abc"' in html
    # The other forms on the page are untouched.
    assert 'aria-invalid="true"' not in html[html.index('id="form-record_background_check"') :].split("</form>")[0]
    # A GET on the form's URL (reload by address, bookmark, back) is the record's page, never a 405.
    again = client.get(officer + "/exam-attempts", follow_redirects=False)
    assert again.status_code == 303 and again.headers["location"] == officer + "#form-record_exam_attempt"
    assert client.get(officer + "/exam-attempts", follow_redirects=True).status_code == 200


def test_a_version_conflict_says_who_changed_what_and_keeps_the_input(client: TestClient, world: World) -> None:
    csrf = sign_in(client, "coord_a", world)
    officer = nominate_through_the_form(client, world, csrf)
    seen = version_in(client.get(officer).text, "record_exam_attempt")
    # Someone records the background check meanwhile (here: the same user in another tab).
    done = client.post(
        officer + "/background-check", data={"csrf_token": csrf, "status": "pending", "expected_version": seen}
    )
    assert done.status_code == 303, done.text[:500]
    stale = client.post(
        officer + "/exam-attempts",
        data={"csrf_token": csrf, "taken_at": "2026-01-05T10:00", "score_percent": "85", "expected_version": seen},
    )
    assert stale.status_code == 409
    html = stale.text
    assert "There is a problem" in html and 'data-error="conflict"' in html
    assert "This officer was changed after you opened" in html
    changes = html[html.index("conflict-changes") : html.index("</table>", html.index("conflict-changes"))]
    assert "background check recorded" in changes and "coord_a" in changes
    assert f'<td data-label="Version">{int(seen) + 1}</td>' in changes
    assert '<a class="usa-link" href="' + officer + '/exam-attempts" data-reload>Reload the record</a>' in html
    assert 'value="85"' in html and 'value="2026-01-05T10:00"' in html  # what was typed is kept
    current = version_in(html, "record_exam_attempt")
    assert int(current) == int(seen) + 1  # recording again now records on the version the user has just seen
    assert "No attempt recorded." in client.get(officer).text


def test_the_api_lists_every_bad_field_with_the_first_as_field_and_reason(client: TestClient, world: World) -> None:
    body = {"name": "", "citizen_attested": "maybe", "experience_attested": True, "facility_training_attested": True}
    response = client.post(
        f"/api/v1/agreements/{world.agreement['a']}/officers", json=body, headers=world.headers("coord_a")
    )
    assert response.status_code == 422
    problem = response.json()
    fields = [e["field"] for e in problem["errors"]]
    assert "citizen_attested" in fields
    assert (problem["field"], problem["reason"]) == (problem["errors"][0]["field"], problem["errors"][0]["reason"])
    said = {e["field"]: e["reason"] for e in problem["errors"]}
    assert said["citizen_attested"] == "Say yes or no for the citizenship attestation (true or false)"


def test_the_public_cost_estimator_default_submit_is_not_refused(client: TestClient) -> None:
    form = client.get("/public/costs").text
    names = re.findall(r'<input id="(\w+)" name="\1"[^>]*value="([^"]*)"', form)
    assert names, "the estimator's form has its fields"
    submitted = client.get("/public/costs", params=dict(names))  # every field as drawn, blanks included
    assert submitted.status_code == 200, submitted.text[:800]
    assert 'id="cost-table"' in submitted.text
