"""One event vocabulary and one fold (issue 11, item 1): the core below the store and the services.

- `catalog`: every ledger event type as a Pydantic class in one discriminated union (`AnyEvent`);
  `wso.store.ledger.append_event` validates every payload against it.
- `rows`: the pure fold of events into projection rows (what `wso ledger verify` compares).
- `facts`: `facts_as_of(events, at)`, the pure fold of events into the rules' facts at an instant,
  used by the scenarios and the audit.

Imports nothing of the shell (no database, web or command-line library); it may import wso.rules.
"""
