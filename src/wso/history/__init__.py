"""A record's history read from the signed ledger, and the ledger check, for auditors in the browser."""
