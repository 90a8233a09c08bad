"""Who may do what, and see which agency: checked inside services so CLI, API and web agree.

Roles (DESIGN.md): clerk (bookings, releases), wso (serves warrants), supervisor, coordinator
(agreements, officers, complaints), auditor (reads everything, changes nothing), admin (users).
`system` is not a user role: it is the actor of operator commands run with direct database access
(`wso demo load`, `wso users create`, `wso ledger checkpoint`).

Agency scope: an actor with an agency sees that agency only; an auditor or admin without one sees
every agency. A record of another agency is reported as NotFound, never Forbidden, so that a user
cannot learn that it exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from wso.services.errors import Forbidden, NotFound

ROLES: Final = ("clerk", "wso", "supervisor", "coordinator", "auditor", "admin")
# Roles that may exist without an agency, and then see every agency.
CROSS_AGENCY_ROLES: Final = ("auditor", "admin")


class Permission(StrEnum):
    READ_RECORDS = "read_records"
    MANAGE_AGENCIES = "manage_agencies"  # create agencies (system-wide)
    MANAGE_FACILITIES = "manage_facilities"
    MANAGE_AGREEMENTS = "manage_agreements"
    MANAGE_OFFICERS = "manage_officers"  # nomination, background check, trainings, departure
    CERTIFY_OFFICERS = "certify_officers"  # exams, letter, Form 70-006, credentials, withdrawals
    RECEIVE_COMPLAINTS = "receive_complaints"  # C5: a complaint is accepted from any source
    HANDLE_COMPLAINTS = "handle_complaints"  # notify ICE, results, resolution
    MANAGE_USERS = "manage_users"
    CHECKPOINT_LEDGER = "checkpoint_ledger"
    VERIFY_LEDGER = "verify_ledger"  # run the ledger check in the browser (auditors, admins)


P = Permission
GRANTS: Final[dict[str, frozenset[Permission]]] = {
    "clerk": frozenset({P.READ_RECORDS, P.RECEIVE_COMPLAINTS}),
    "wso": frozenset({P.READ_RECORDS, P.RECEIVE_COMPLAINTS}),
    "supervisor": frozenset({P.READ_RECORDS, P.RECEIVE_COMPLAINTS, P.HANDLE_COMPLAINTS, P.MANAGE_OFFICERS}),
    "coordinator": frozenset(
        {
            P.READ_RECORDS,
            P.MANAGE_FACILITIES,
            P.MANAGE_AGREEMENTS,
            P.MANAGE_OFFICERS,
            P.CERTIFY_OFFICERS,
            P.RECEIVE_COMPLAINTS,
            P.HANDLE_COMPLAINTS,
        }
    ),
    "auditor": frozenset({P.READ_RECORDS, P.VERIFY_LEDGER}),
    "admin": frozenset(
        {
            P.READ_RECORDS,
            P.MANAGE_USERS,
            P.MANAGE_AGENCIES,
            P.MANAGE_FACILITIES,
            P.CHECKPOINT_LEDGER,
            P.VERIFY_LEDGER,
        }
    ),
    "system": frozenset(Permission),
}


@dataclass(frozen=True)
class Actor:
    """Who acts: the authenticated user (or `system`), with their role and agency scope."""

    user_id: str | None
    username: str
    role: str
    agency_id: str | None

    @classmethod
    def system(cls, name: str = "system") -> Actor:
        """The operator at a terminal with direct database access (demo load, first admin)."""
        return cls(user_id=None, username=name, role="system", agency_id=None)

    @property
    def label(self) -> str:
        """As written in the ledger's actor column: the username and role."""
        return f"{self.username} ({self.role})"

    @property
    def all_agencies(self) -> bool:
        return self.agency_id is None and self.role in (*CROSS_AGENCY_ROLES, "system")

    def can(self, permission: Permission) -> bool:
        return permission in GRANTS.get(self.role, frozenset())


def require(actor: Actor, permission: Permission) -> None:
    """Refuse with Forbidden unless the actor's role grants `permission`."""
    if not actor.can(permission):
        error = Forbidden(f"a user with role {actor.role!r} may not {permission.value.replace('_', ' ')}")
        error.actor_label = actor.label  # the refusal is logged with who was refused
        raise error


def may_see_agency(actor: Actor, agency_id: str) -> bool:
    return actor.all_agencies or actor.agency_id == agency_id


def require_agency(actor: Actor, agency_id: str, *, entity: str, id: str) -> None:
    """A record outside the actor's agency is reported as not found (its existence stays hidden)."""
    if not may_see_agency(actor, agency_id):
        error = NotFound(entity, id)
        error.actor_label = actor.label
        raise error
