"""The accounts' events: users and API tokens. Secrets (password hashes, token digests) never enter
the ledger, so a password change is an event with no payload: that it happened, by whom, when."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import AwareDatetime

from wso.events.base import CatalogEvent


class UserCreated(CatalogEvent):
    RULES: ClassVar[tuple[str, ...]] = ("S3",)
    type: Literal["user.created"] = "user.created"
    username: str
    role: str
    agency_id: str | None = None


class UserDeactivated(CatalogEvent):
    type: Literal["user.deactivated"] = "user.deactivated"


class UserReactivated(CatalogEvent):
    type: Literal["user.reactivated"] = "user.reactivated"


class PasswordChanged(CatalogEvent):
    RULES: ClassVar[tuple[str, ...]] = ("S3",)
    type: Literal["user.password_changed"] = "user.password_changed"


class PasswordReset(CatalogEvent):
    RULES: ClassVar[tuple[str, ...]] = ("S3",)
    type: Literal["user.password_reset"] = "user.password_reset"


class MfaReset(CatalogEvent):
    RULES: ClassVar[tuple[str, ...]] = ("S2",)
    type: Literal["user.mfa_reset"] = "user.mfa_reset"


class ApiTokenIssued(CatalogEvent):
    RULES: ClassVar[tuple[str, ...]] = ("S5",)
    type: Literal["api_token.issued"] = "api_token.issued"
    user_id: str
    purpose: str
    expires_at: AwareDatetime


class ApiTokenRevoked(CatalogEvent):
    RULES: ClassVar[tuple[str, ...]] = ("S5",)
    type: Literal["api_token.revoked"] = "api_token.revoked"
