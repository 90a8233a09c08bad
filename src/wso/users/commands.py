"""Accounts: one's tokens and password; users for admins (deactivate, reactivate, reset password or TOTP)."""

from __future__ import annotations

from wso.services.commands import Command
from wso.services.fields import ExpectedVersion, Text
from wso.users import auth, mfa
from wso.users import service as users


class RevokeApiTokenById(Command):
    service = auth.revoke_api_token_by_id
    ids = ("token_id",)


class ChangePassword(Command):
    service = users.change_password

    current_password: Text
    new_password: Text


class DeactivateUser(Command):
    service = users.deactivate_user
    ids = ("user_id",)

    expected_version: ExpectedVersion = None


class ReactivateUser(Command):
    service = users.reactivate_user
    ids = ("user_id",)

    expected_version: ExpectedVersion = None


class ResetPassword(Command):
    service = users.reset_password
    ids = ("user_id",)

    new_password: Text


class ResetMfa(Command):
    service = mfa.reset_mfa
    ids = ("user_id",)


ALL: tuple[type[Command], ...] = (
    RevokeApiTokenById,
    ChangePassword,
    DeactivateUser,
    ReactivateUser,
    ResetPassword,
    ResetMfa,
)
