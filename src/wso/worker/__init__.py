"""The deadline worker: durable due items (alerts) fired at their instant to the board, e-mail and a webhook.

Producers (the holds and complaints areas, or the worker's own sync of them) call `schedule_alert` /
`cancel_alerts` inside their own transaction; `wso worker` fires what is due and delivers it once per
channel, recording each delivery in the ledger (docs/worker.md).
"""
