"""The outcome of an import and the error that carries every problem."""

from dataclasses import dataclass, field


class ImportFailed(Exception):
    """Nothing was imported; ``problems`` lists every row, column and reason."""

    def __init__(self, problems):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    ids: list[int] = field(default_factory=list)

    def as_dict(self):
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}
