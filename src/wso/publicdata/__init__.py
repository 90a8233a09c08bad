"""ICE's public 287(g) spreadsheets: import, history, state-law checks, reports and pages.

Independent of the hold workflow: it needs only the store (its own tables) and the rules core
(state-law eligibility, costs) and the params (program comparison facts).
"""
