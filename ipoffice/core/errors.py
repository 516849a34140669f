"""Errors that name the problem: which file, which record, which field, and why."""

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Problem:
    """One thing wrong with one record of an input."""

    reason: str
    record: str | int | None = None
    field: str | None = None

    def __str__(self):
        where = []
        if self.record is not None:
            where.append(f"record {self.record}")
        if self.field:
            where.append(f"field '{self.field}'")
        return f"{', '.join(where)}: {self.reason}" if where else self.reason


@dataclass
class DataError(ValueError):
    """Input that cannot be taken as it is; nothing of it has been written."""

    problems: list[Problem] = field(default_factory=list)
    source: str | None = None

    @classmethod
    def single(cls, reason: str, *, record=None, field=None, source=None) -> "DataError":
        return cls([Problem(reason, record, field)], source)

    def __str__(self):
        head = f"{self.source}: " if self.source else ""
        lines = [str(p) for p in self.problems[:20]]
        more = len(self.problems) - len(lines)
        if more > 0:
            lines.append(f"... and {more} more problems")
        if len(lines) == 1:
            return head + lines[0]
        return head + f"{len(self.problems)} problems, nothing imported:\n  " + "\n  ".join(lines)


def read_yaml_mapping(path, what: str) -> dict:
    """The mapping a YAML definition file holds (a plan, an index, a navigation project …), or a DataError that
    names the file and says why it is not one."""
    import yaml

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise DataError.single(f"not valid YAML: {error}", source=str(path)) from error
    if not isinstance(data, dict):
        raise DataError.single(f"not {what}: the file holds no mapping of keys", source=str(path))
    return data
