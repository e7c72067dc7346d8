"""What the forms share: reading a typed date into a field's error, refusing a bad form."""

from __future__ import annotations

import datetime as dt

from db.dates import date_bound
from db.errors import UserError
from desktop.imports.values import parse_date


def parse_date_field(
    text: str, key: str, labels: dict, errors: dict, required: bool, planned: bool = False
) -> dt.date | None:
    """The date typed (1975.03, 1975-3-12 …); a message in `errors[key]` if it is wrong,
    or if it cannot be (before 1900, after the cut-off: see db.dates; `planned` for a planned
    end such as 派驻期满)."""
    if not text.strip():
        if required:
            errors[key] = f"请填写{labels[key]}"
        return None
    try:
        return parse_date(text, bound=date_bound(), planned=planned)
    except ValueError as exc:
        errors[key] = str(exc)
        return None


def refuse(errors: dict, labels: dict) -> None:
    """Raise the first field's message, named, so nothing is stored."""
    first = next(iter(errors))
    raise UserError(f"{labels.get(first, first)}：{errors[first]}")


def check_code(value: str, table: str, key: str, errors: dict, required: str = "") -> None:
    """A coded field: blank is refused with `required` (when given); a value that is no code
    of `table` (a word the synonyms do not know) is refused naming it, never stored."""
    from desktop.code_words import refusal
    from resources import code_table

    if not value:
        if required:
            errors[key] = required
    elif value not in code_table(table):
        errors[key] = refusal(value, table)
