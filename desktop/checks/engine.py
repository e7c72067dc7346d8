"""Running the rules and shaping their findings."""

from __future__ import annotations

from dataclasses import dataclass

from db.year_data import YearData, load_year_data
from db.years import resolve_year
from desktop.checks import rules  # noqa: F401  (registers every rule)
from desktop.checks.registry import ERROR, RULES, SEVERITY_LABELS, WARNING, Rule

__all__ = ["ERROR", "WARNING", "Finding", "Rule", "run_checks", "blocking", "explain"]


@dataclass(frozen=True)
class Finding:
    rule_id: str
    severity: str
    area: str
    title: str
    table: str
    record_id: int
    label: str
    field: str
    message: str
    note: str = ""  # the clerk's 说明 (提示性 only)

    @property
    def record_key(self) -> str:
        return f"{self.table}:{self.record_id}"

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS[self.severity]

    def line(self) -> str:
        """One line for the command line: severity, rule, record, message, 说明."""
        text = f"[{self.severity_label}] {self.rule_id} {self.area} {self.label}：{self.message}"
        return f"{text}（说明：{self.note}）" if self.note else text


def run_checks(
    year: int | None = None, data: YearData | None = None, only: set[str] | None = None
) -> list[Finding]:
    """Every finding for `year` (default: the latest), errors first, in a stable order.

    `only` limits the run to some rule ids.
    """
    data = data or load_year_data(resolve_year(year))
    findings = []
    for rule in RULES.values():
        if only is not None and rule.id not in only:
            continue
        for hit in rule.check(data):
            key = f"{hit.table}:{hit.record_id}"
            note = data.notes.get((rule.id, key), "") if rule.severity == WARNING else ""
            findings.append(
                Finding(
                    rule.id,
                    rule.severity,
                    rule.area,
                    rule.title,
                    hit.table,
                    hit.record_id,
                    hit.label,
                    hit.field,
                    hit.message,
                    note,
                )
            )
    findings.sort(key=lambda f: (f.severity != ERROR, f.rule_id, f.table, f.record_id))
    return findings


def blocking(findings: list[Finding]) -> list[Finding]:
    """The 强制性 findings: the report cannot be exported while any remain."""
    return [f for f in findings if f.severity == ERROR]


def explain(year: int, finding: Finding, note: str) -> None:
    """Record the clerk's 说明 for a 提示性 finding (an empty note clears it)."""
    from db.errors import UserError
    from db.year_data import save_finding_note

    if finding.severity != WARNING:
        raise UserError("强制性审核问题必须修正，不能只填写说明。")
    save_finding_note(year, finding.rule_id, finding.record_key, note)
