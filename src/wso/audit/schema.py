"""The hold-record and complaint-record schemas the audit runs on: the single source of their
column names, types and meanings.

Why one module: the audit reads the same records from Parquet, CSV, a live PostgreSQL or SQLite
database and Spark. Each engine, the synthetic generator, the validator and `docs/audit.md` take
their columns from here, so a column cannot mean one thing in one engine and another elsewhere.
Instants are timezone-aware UTC (`timestamp[us, tz=UTC]`); a naive instant is a bad row.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

INSTANT = pa.timestamp("us", tz="UTC")


@dataclass(frozen=True)
class Column:
    """One column: its name, Arrow type, whether a row without it is bad, and what it records."""

    name: str
    type: pa.DataType
    required: bool
    description: str

    @property
    def type_name(self) -> str:
        return "instant (UTC)" if self.type == INSTANT else str(self.type)


def _c(name: str, kind: pa.DataType, description: str, *, required: bool = False) -> Column:
    return Column(name=name, type=kind, required=required, description=description)


HOLD_COLUMNS: tuple[Column, ...] = (
    _c("booking_number", pa.string(), "The jail's booking number: the hold's key in every finding.", required=True),
    _c("agency", pa.string(), "The law-enforcement agency that signed the WSO agreement.", required=True),
    _c("facility", pa.string(), "The LEA's jail or correctional facility.", required=True),
    _c(
        "state", pa.string(), "Two-letter state of the facility (H9 looks up its laws in params/states).", required=True
    ),
    _c(
        "timezone",
        pa.string(),
        "The facility's IANA time zone (local calendars: C.F.R. 287.7 clock, H9 days).",
        required=True,
    ),
    _c("template", pa.string(), "The agreement's template, MOA-2019 or MOA-2025 (A7).", required=True),
    _c(
        "scheduled_release_at",
        INSTANT,
        "Scheduled release from criminal custody (H1, H3; I-247A and C.F.R. clocks).",
        required=True,
    ),
    _c(
        "cleared_for_release_at",
        INSTANT,
        "When the person was cleared for release (H3's gap starts here; the scheduled release when absent).",
    ),
    _c(
        "release_standard_minutes",
        pa.int64(),
        "The agency's written standard for release processing, in minutes (H3: none recorded = 0).",
    ),
    _c("warrant_form", pa.string(), "I-200 or I-205 (H2), as served."),
    _c("served_at", INSTANT, "When the warrant was served (custody passed to ICE); empty if never served."),
    _c("served_by", pa.string(), "Serving officer's id (an internal id, never published)."),
    _c("officer_authorized_from", INSTANT, "From when the serving officer met every O4 condition; empty if never."),
    _c(
        "officer_authorization_end",
        INSTANT,
        "When that authorization ended (withdrawn, suspended, or the agreement ended); empty if it had not.",
    ),
    _c(
        "officer_authorization_end_cause",
        pa.string(),
        "Why it ended: withdrawn or suspended (O5), agreement_terminated or agreement_suspended (A4).",
    ),
    _c("interpreter_used", pa.bool_(), "An interpreter was used during service (H6)."),
    _c("interpreter_named", pa.bool_(), "The interpreter's name is annotated on the warrant (H6)."),
    _c("ice_notified_at", INSTANT, "When the LEA notified ICE of the service (H4)."),
    _c("citizenship_claimed_at", INSTANT, "When a claim of U.S. citizenship was asserted or suspected (H7)."),
    _c("citizenship_reported_at", INSTANT, "When that claim was reported to ICE (H7)."),
    _c("exigency_recorded", pa.bool_(), "An unforeseen exigency was recorded with its reason (H7, MOA-2019)."),
    _c("detainer_i247a", pa.bool_(), "An I-247A detainer was lodged (H8's I-247A clock from would-be release)."),
    _c("cfr_287_7_applies", pa.bool_(), "8 C.F.R. 287.7(d) applies (H8's clock excluding weekends and holidays)."),
    _c(
        "igsa_in_force_at_deadline",
        pa.bool_(),
        "A recorded reimbursable detention agreement (IGSA) of the facility "
        "was in force at the binding deadline (H5's exception).",
    ),
    _c("igsa_booked_at", INSTANT, "When the person was booked as an ICE detainee under that agreement (H5)."),
    _c("transferred_at", INSTANT, "When ICE took the person out of the jail."),
    _c("released_at", INSTANT, "When the person was released from the jail."),
    _c("evidence_stream", pa.string(), "The ledger stream of the hold (findings cite it with event seqs)."),
    _c("seq_cleared", pa.int64(), "Ledger seq of the cleared-for-release event."),
    _c("seq_served", pa.int64(), "Ledger seq of the service event."),
    _c("seq_ice_notified", pa.int64(), "Ledger seq of the notice to ICE."),
    _c("seq_claimed", pa.int64(), "Ledger seq of the citizenship claim."),
    _c("seq_reported", pa.int64(), "Ledger seq of the claim's report to ICE."),
    _c("seq_ended", pa.int64(), "Ledger seq of the transfer or release that ended the hold."),
)

COMPLAINT_COLUMNS: tuple[Column, ...] = (
    _c("complaint_id", pa.string(), "The complaint's id: its key in every finding.", required=True),
    _c("agency", pa.string(), "The agency the complaint concerns.", required=True),
    _c("facility", pa.string(), "The facility, for its time zone.", required=True),
    _c("timezone", pa.string(), "The facility's IANA time zone (C1 skips local Saturdays and Sundays).", required=True),
    _c("template", pa.string(), "The agreement's template, MOA-2019 or MOA-2025 (A7).", required=True),
    _c(
        "about_designated_officer",
        pa.bool_(),
        "Against a participating officer (C1); otherwise against "
        "non-designated personnel acting in immigration functions (C2).",
        required=True,
    ),
    _c("officer_id", pa.string(), "The officer concerned (internal id, never published)."),
    _c("received_at", INSTANT, "When the LEA received the complaint.", required=True),
    _c("ice_notified_at", INSTANT, "When the LEA notified or forwarded it to ICE."),
    _c("evidence_stream", pa.string(), "The ledger stream of the complaint."),
    _c("seq_received", pa.int64(), "Ledger seq of the receipt."),
    _c("seq_notified", pa.int64(), "Ledger seq of the notice to ICE."),
)

# Pairs (start, end) where an end before its start makes the row bad input, not a finding.
HOLD_ORDER: tuple[tuple[str, str], ...] = (
    ("served_at", "ice_notified_at"),
    ("served_at", "transferred_at"),
    ("citizenship_claimed_at", "citizenship_reported_at"),
    ("officer_authorized_from", "officer_authorization_end"),
)
COMPLAINT_ORDER: tuple[tuple[str, str], ...] = (("received_at", "ice_notified_at"),)

FINDING_COLUMNS: tuple[Column, ...] = (
    _c("booking_number", pa.string(), "The hold (or the complaint id for C1/C2)."),
    _c("rule", pa.string(), "PROGRAM.md rule id."),
    _c("modality", pa.string(), "must (a finding) or should (a departure, counted apart)."),
    _c("excess_minutes", pa.int64(), "Minutes past the deadline, minutes late or minutes held without authority."),
    _c("agency", pa.string(), "Agency."),
    _c("facility", pa.string(), "Facility."),
    _c("officer", pa.string(), "The officer concerned, if any (internal)."),
    _c("at", INSTANT, "The instant the rule was broken (the deadline, or the act)."),
    _c("evidence_stream", pa.string(), "Ledger stream."),
    _c("evidence_from_seq", pa.int64(), "Seq of the event that started the clock."),
    _c("evidence_to_seq", pa.int64(), "Seq of the event that stopped it (empty if it never came)."),
    _c("source", pa.string(), "The rule's reference and every parameter used, with confidence (and what-if marks)."),
)


def arrow_schema(columns: tuple[Column, ...]) -> pa.Schema:
    """The Arrow schema of a record kind (Parquet files are written and read with it)."""
    return pa.schema([pa.field(c.name, c.type, nullable=not c.required) for c in columns])


def markdown_table(columns: tuple[Column, ...]) -> str:
    """A Markdown table of the columns, as `docs/audit.md` shows it (a test keeps the two equal)."""
    lines = ["| column | type | required | meaning |", "|---|---|---|---|"]
    lines += [f"| `{c.name}` | {c.type_name} | {'yes' if c.required else ''} | {c.description} |" for c in columns]
    return "\n".join(lines)


def schema_docs() -> str:
    """The generated part of `docs/audit.md`: every schema the audit reads or writes."""
    return "\n\n".join(
        [
            "### Hold records (one row per hold)",
            markdown_table(HOLD_COLUMNS),
            "### Complaint records (one row per complaint)",
            markdown_table(COMPLAINT_COLUMNS),
            "### Findings (one row per rule broken per hold)",
            markdown_table(FINDING_COLUMNS),
        ]
    )


BEGIN, END = "<!-- schema:begin (generated from src/wso/audit/schema.py) -->", "<!-- schema:end -->"


def with_schema_docs(text: str) -> str:
    """`text` (docs/audit.md) with its generated section replaced by the current schemas."""
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    return f"{head}{BEGIN}\n{schema_docs()}\n{END}{tail}"


if __name__ == "__main__":  # python -m wso.audit.schema docs/audit.md: refresh the generated section
    import sys
    from pathlib import Path

    target = Path(sys.argv[1])
    target.write_text(with_schema_docs(target.read_text(encoding="utf-8")), encoding="utf-8")
