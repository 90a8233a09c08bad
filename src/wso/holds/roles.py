"""Who may do what on a hold: each operation's roles, checked by the holds services (`require_role`) and
read by the commands (`HoldCommand.allowed`), so the board and a hold's page offer an action only to a role
the service accepts. Kept apart from the service so the commands can read it without importing it."""

from __future__ import annotations

from typing import Final

from wso.services.errors import Forbidden
from wso.services.permissions import Actor

CLERK_WORK: Final = frozenset({"clerk", "supervisor"})
READERS: Final = frozenset({"clerk", "wso", "supervisor", "coordinator", "auditor", "admin"})
ROLES: Final[dict[str, frozenset[str]]] = {
    "book": CLERK_WORK,
    "change_release": CLERK_WORK,
    "receive_warrant": CLERK_WORK,
    "clear": CLERK_WORK,
    "serve": frozenset({"wso"}),
    "notify_ice": frozenset({"clerk", "wso", "supervisor"}),
    "claim": frozenset({"clerk", "wso", "supervisor"}),
    "report_claim": CLERK_WORK,
    "answer": CLERK_WORK,
    "igsa_book": CLERK_WORK,
    "transfer": CLERK_WORK,
    "release": CLERK_WORK,
    "record_act": frozenset({"clerk", "wso", "supervisor"}),
    "refresh": frozenset({"clerk", "wso", "supervisor"}),
    "policy": frozenset({"coordinator", "supervisor"}),
    "read": READERS,
}


def require_role(actor: Actor, operation: str) -> None:
    """Forbidden unless the actor's role may do `operation` (the `system` operator may do all)."""
    if actor.role == "system" or actor.role in ROLES[operation]:
        return
    allowed = ", ".join(sorted(ROLES[operation]))
    raise Forbidden(f"a user with role {actor.role!r} may not {operation.replace('_', ' ')} (roles: {allowed})")
