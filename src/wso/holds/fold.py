"""The hold's pure fold lives in the core (wso.events.hold_fold); re-exported for the holds area."""

from wso.events.hold_fold import HoldRecord, WarrantRecord, hold_facts, hold_record

__all__ = ["HoldRecord", "WarrantRecord", "hold_facts", "hold_record"]
