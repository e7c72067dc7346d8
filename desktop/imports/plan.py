"""An import planned before anything is written: what each row would do, and why not."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ADD, UPDATE, UNCHANGED, REFUSE = "add", "update", "unchanged", "refuse"
IGNORE = "ignore"  # a line that is no record (表尾, 合计行, 列代码行): shown, never written
KEEP = "keep"  # a restore: a record the database has and the workbook lacks, kept as it is
ACTION_LABELS = {
    ADD: "新增",
    UPDATE: "更新",
    UNCHANGED: "无变化",
    REFUSE: "拒绝",
    IGNORE: "已忽略",
    KEEP: "保留",
}


@dataclass
class RowOutcome:
    sheet: str
    row: int  # the spreadsheet's row number (1-based), 0 for a summary line
    action: str
    label: str  # the record as the clerk knows it: 张三（532301…）
    detail: str = ""
    cells: list = field(default_factory=list)  # the original row, for 待修正
    apply: Callable[..., None] | None = None  # called with the import's BulkWriter
    count: int = 1  # how many records the line stands for (a restore summarises a table)

    def line(self) -> str:
        where = f"{self.sheet} 第{self.row}行" if self.row else self.sheet
        text = f"[{ACTION_LABELS[self.action]}] {where} {self.label}"
        return f"{text}：{self.detail}" if self.detail else text


@dataclass
class ImportPlan:
    source: Path
    kind: str  # 本程序导出的报表 / 干部花名册 / 集体经济收入表
    outcomes: list[RowOutcome] = field(default_factory=list)
    new_villages: list[str] = field(default_factory=list)  # confirmed: will be created
    unknown_villages: list[str] = field(default_factory=list)  # refused until confirmed
    confirmed_villages: set[str] = field(default_factory=set)  # the clerk said: create these
    notices: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)  # the source's header, for 待修正
    coded: dict[int, str] = field(default_factory=dict)  # column → its code table, to correct
    creates_database: bool = False
    sheets: list[tuple[str, bool]] = field(default_factory=list)  # (name, hidden) of the file
    sheet: str = ""  # the sheet the rows were read from

    def add_row(self, sheet, number, action, label, detail, cells, apply) -> RowOutcome:
        """One row's outcome, listed; a row that changes nothing has nothing to apply."""
        outcome = RowOutcome(
            sheet,
            number,
            action,
            label,
            detail,
            list(cells),
            None if action == UNCHANGED else apply,
        )
        self.outcomes.append(outcome)
        return outcome

    @property
    def refused(self) -> list[RowOutcome]:
        return [o for o in self.outcomes if o.action == REFUSE]

    @property
    def ignored(self) -> list[RowOutcome]:
        return [o for o in self.outcomes if o.action == IGNORE]

    def counts(self) -> Counter:
        counts: Counter = Counter()
        for outcome in self.outcomes:
            counts[outcome.action] += outcome.count
        return counts

    def summary(self) -> str:
        counts = self.counts()
        parts = [f"{ACTION_LABELS[a]} {counts[a]} 条" for a in (ADD, UPDATE, UNCHANGED, REFUSE)]
        if counts[IGNORE]:
            parts.append(f"{ACTION_LABELS[IGNORE]} {counts[IGNORE]} 行（表尾、合计行等）")
        if counts[KEEP]:
            parts.append(f"{ACTION_LABELS[KEEP]} {counts[KEEP]} 条（本库原有、报表中没有）")
        villages = f"；将新建村(社区)：{'、'.join(self.new_villages)}" if self.new_villages else ""
        if self.unknown_villages:
            names = "、".join(self.unknown_villages)
            villages += f"；不是本乡镇已有的村(社区)：{names}（确认新建后才能导入）"
        return f"{self.source.name}（{self.kind}）：{'，'.join(parts)}{villages}"
