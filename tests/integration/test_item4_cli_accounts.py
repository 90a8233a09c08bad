"""Issue 14, item 4, at the terminal: demo TOTP codes, tokens listed and revoked, a password reset
(NIST rules apply), deactivation, and the sign-in log, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pyotp

from tests.integration.test_cli_records import wso


def test_item4_cli_demo_codes_tokens_password_reset_deactivation_and_the_attempt_log(database_url: str) -> None:
    db = ("--database", database_url)
    assert wso("demo", "load", *db).exit_code == 0
    codes = json.loads(wso("demo", "codes", "--json", *db).output)
    assert set(codes["codes"]) == {
        "demo-admin",
        "demo-coordinator",
        "demo-clerk",
        "demo-supervisor",
        "demo-wso",
        "demo-auditor",
    }
    key = codes["secrets"]["demo-clerk"]
    assert pyotp.TOTP(key).verify(codes["codes"]["demo-clerk"], valid_window=1)

    token = wso("users", "token", "--username", "demo-clerk", "--purpose", "cli test", *db).output.strip()
    listed = json.loads(wso("users", "tokens", "demo-clerk", "--json", *db).output)
    assert [t["purpose"] for t in listed] == ["cli test"] and listed[0]["active"] and listed[0]["expires_at"]
    revoked = wso("users", "revoke-token", listed[0]["id"], "--json", *db)
    assert revoked.exit_code == 0 and json.loads(revoked.output)["active"] is False
    assert wso("records", "list-agencies", "--token", token, *db).exit_code != 0

    weak = wso("users", "password", "demo-clerk", "--password-stdin", "--json", *db, input="password1234\n")
    assert weak.exit_code == 2 and json.loads(weak.output)["rule_ids"] == ["S3"]
    reset = wso("users", "password", "demo-clerk", "--password-stdin", *db, input="a fresh clerk passphrase\n")
    assert reset.exit_code == 0, reset.output
    fresh = {"WSO_PASSWORD": "a fresh clerk passphrase"}
    signed = wso("records", "list-agencies", "--user", "demo-clerk", "--json", *db, env=fresh)
    assert signed.exit_code == 0, signed.output

    assert wso("users", "deactivate", "demo-clerk", *db).exit_code == 0
    refused = wso("records", "list-agencies", "--user", "demo-clerk", *db, env=fresh)
    assert refused.exit_code != 0
    log = json.loads(wso("users", "attempts", "--username", "demo-clerk", "--json", *db).output)
    assert [a["outcome"] for a in log][:2] == ["inactive", "success"] and {a["channel"] for a in log} == {"cli"}
