"""Remembered choices, such as who prepared and reviewed the last report."""

from __future__ import annotations

from db.models import Setting, database


def get_setting(key: str, default: str = "") -> str:
    found = Setting.get_or_none(Setting.key == key)
    return found.value if found else default


def set_settings(**values: str) -> None:
    with database.atomic():
        for key, value in values.items():
            Setting.insert(key=key, value=value).on_conflict_replace().execute()
