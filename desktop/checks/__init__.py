"""审核: every checking rule, run over one statistical year.

A rule has a stable id, a severity (强制性 blocks the export, 提示性 goes into the report with
the clerk's 说明), an area and a function that yields the records it finds at fault.
"""

from desktop.checks.engine import (
    ERROR,
    WARNING,
    Finding,
    Rule,
    blocking,
    explain,
    run_checks,
)
from desktop.checks.registry import RULES

__all__ = ["ERROR", "WARNING", "Finding", "Rule", "RULES", "blocking", "explain", "run_checks"]
