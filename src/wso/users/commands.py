"""Accounts: one's tokens and password; users for admins (deactivate, reactivate, reset password or TOTP)."""

from __future__ import annotations

from wso.services.commands import Command
from wso.services.fields import ExpectedVersion, Text
from wso.services.permissions import Permission
from wso.users import auth, mfa
from wso.users import service as users


class RevokeApiTokenById(Command):
    service = auth.revoke_api_token_by_id
    permission = None  # decided by the record or the caller's own account
    ids = ("token_id",)


class ChangePassword(Command):
    service = users.change_password
    permission = None  # decided by the record or the caller's own account

    current_password: Text
    new_password: Text


class DeactivateUser(Command):
    service = users.deactivate_user
    permission = Permission.MANAGE_USERS
    ids = ("user_id",)

    expected_version: ExpectedVersion = None


class ReactivateUser(Command):
    service = users.reactivate_user
    permission = Permission.MANAGE_USERS
    ids = ("user_id",)

    expected_version: ExpectedVersion = None


class ResetPassword(Command):
    service = users.reset_password
    permission = Permission.MANAGE_USERS
    ids = ("user_id",)

    new_password: Text


class ResetMfa(Command):
    service = mfa.reset_mfa
    permission = Permission.MANAGE_USERS
    ids = ("user_id",)


ALL: tuple[type[Command], ...] = (
    RevokeApiTokenById,
    ChangePassword,
    DeactivateUser,
    ReactivateUser,
    ResetPassword,
    ResetMfa,
)
