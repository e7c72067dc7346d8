"""Data shipped with the program: code tables, report specs, icons.

`resource_path` is the one way to find them, from source, from an installed package and
from a PyInstaller bundle alike (there `sys._MEIPASS` holds the mapped `resources/`).
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path


def resource_path(*parts: str) -> Path:
    """Absolute path of a file under `resources/`."""
    bundle = getattr(sys, "_MEIPASS", None)
    base = Path(bundle) / "resources" if bundle else Path(__file__).resolve().parent
    return base.joinpath(*parts)


def load_json(*parts: str):
    with resource_path(*parts).open(encoding="utf-8") as f:
        return json.load(f)


@dataclass(frozen=True)
class Code:
    code: str
    name: str
    extra: dict


@dataclass(frozen=True)
class CodeTable:
    """One code table: stable codes, their Chinese names and any extra attributes."""

    key: str
    title: str
    source: str
    entries: tuple[Code, ...]

    def __post_init__(self):
        object.__setattr__(self, "_names", {e.code: e.name for e in self.entries})
        object.__setattr__(self, "_codes", {e.name: e.code for e in self.entries})

    def name_of(self, code: str) -> str:
        """The Chinese name of `code`; '' for an empty code, the code itself if unknown."""
        return self._names.get(code, code) if code else ""

    def code_of(self, name: str) -> str | None:
        return self._codes.get(name)

    def __contains__(self, code: object) -> bool:
        return code in self._names

    @property
    def codes(self) -> list[str]:
        return [entry.code for entry in self.entries]

    def where(self, attribute: str) -> frozenset[str]:
        """Codes whose entry has a true `attribute`, e.g. education codes with `college`."""
        return frozenset(e.code for e in self.entries if e.extra.get(attribute))


@cache
def code_table(key: str) -> CodeTable:
    data = load_json("codes", f"{key}.json")
    entries = tuple(
        Code(
            str(item["code"]),
            item["name"],
            {k: v for k, v in item.items() if k not in ("code", "name")},
        )
        for item in data["codes"]
    )
    return CodeTable(key, data["title"], data.get("source", ""), entries)
