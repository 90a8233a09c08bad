"""Use cases: one function per thing a user does, each one database transaction.

Every mutating service takes the unit of work, the acting `Actor` and the instant `at` of the act
(the shell reads the clock; a service never does), loads what it needs, asks the rules, and either
raises a domain error (wso.services.errors) or appends events and updates projections. A service
never commits (it may flush): the entry point's unit of work commits once when its block ends.
Reads take `at` too, because a decision (is this officer authorized?) is always "as of".
The catalogue of services, with signatures, is docs/services.md.
"""
