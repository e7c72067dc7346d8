"""The table of rules, filled by the `@rule` decorator in the rule modules."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

ERROR = "error"  # 强制性
WARNING = "warning"  # 提示性
SEVERITY_LABELS = {ERROR: "强制性", WARNING: "提示性"}


@dataclass(frozen=True)
class Hit:
    """A record a rule finds at fault."""

    table: str
    record_id: int
    label: str  # the record as the clerk knows it: 张三（大麦地村）
    field: str  # the model field to fix, '' for the record as a whole
    message: str


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    area: str
    title: str
    check: Callable[..., Iterable[Hit]]


RULES: dict[str, Rule] = {}


def rule(rule_id: str, severity: str, area: str, title: str):
    def register(check):
        if rule_id in RULES:
            raise ValueError(f"duplicate rule id {rule_id}")
        RULES[rule_id] = Rule(rule_id, severity, area, title, check)
        return check

    return register
