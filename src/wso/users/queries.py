"""The accounts' reads: API tokens (one's own, or for an admin a user's) and the users an admin manages."""

from __future__ import annotations

from pydantic import Field

from wso.services.commands.queries import AsOf, Query
from wso.services.fields import Text
from wso.users import auth
from wso.users import service as users


class ListApiTokens(AsOf):
    service = auth.list_api_tokens

    user_id: Text | None = Field(None, description="an admin: this user's tokens (default: one's own)")


class ListUsers(Query):
    service = users.list_users


ALL: tuple[type[Query], ...] = (ListApiTokens, ListUsers)
