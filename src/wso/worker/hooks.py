"""What else happens when an alert fires: a hold's stored summary is refreshed (issue 12, item 3).

The board reads only the projection row; when a hold's deadline passes nothing else would change
it, so the worker asks the holds area to recompute and store the summary ("release required").
"""

from __future__ import annotations

from wso.worker.delivery import OnFired


def default_hooks() -> list[OnFired]:
    """The hooks of the areas present in this checkout."""
    try:
        from wso.worker.holds import refresh_hold_on_fire
    except ImportError:  # the holds area is not merged in this checkout
        return []
    return [refresh_hold_on_fire]
