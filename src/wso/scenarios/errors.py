"""The one error a scenario file can raise: it names the file, the place, the field and why.

Why a class of its own: the CLI turns it into exit status 2 and a one-line message a lawyer
can act on ("events[3] (warrant_served), field 'at': has no UTC offset"), and tests assert on
its parts rather than on a formatted string.
"""

from __future__ import annotations

from pathlib import Path


class ScenarioError(ValueError):
    """A scenario file that cannot be run: malformed YAML, an unknown event, a naive instant..."""

    def __init__(self, *, file: Path | str | None, location: str, field: str, reason: str) -> None:
        self.file = str(file) if file is not None else None
        self.location = location
        self.field = field
        self.reason = reason
        super().__init__(self.message)

    @property
    def message(self) -> str:
        where = f"{self.file}: " if self.file else ""
        field = f", field '{self.field}'" if self.field else ""
        return f"{where}{self.location}{field}: {self.reason}"

    def in_file(self, file: Path | str) -> ScenarioError:
        """The same error, now naming the file it came from."""
        return ScenarioError(file=file, location=self.location, field=self.field, reason=self.reason)
