"""Creating the township a database belongs to."""

from __future__ import annotations

from pathlib import Path

from db.errors import UserError
from db.fresh import build_database, is_empty_database
from db.models import Township, database


def insert_township(
    *,
    prefecture: str,
    county: str,
    name: str,
    division_code: str,
    authority: str | None = None,
    created_at=None,
) -> Township:
    """The township row of the (new, bound) database."""
    with database.atomic():
        return Township.create(
            id=1,
            name=name.strip(),
            county=county.strip(),
            prefecture=prefecture.strip(),
            division_code=division_code,
            authority=(authority or f"中共{county.strip()}委组织部").strip(),
            **({"created_at": created_at} if created_at else {}),
        )


def create_township(
    path: Path,
    *,
    prefecture: str,
    county: str,
    name: str,
    division_code: str,
    authority: str | None = None,
    created_at=None,
    year: int | None = None,
) -> Township:
    """Create a new township database at `path` (with its first statistical `year`, if
    given), whole or not at all; never touches an existing one."""
    from db.years import create_year

    if not is_empty_database(path):
        raise UserError(f"{path} 已经存在乡镇数据库，不会覆盖。请换一个数据文件夹。")
    for label, value in (("州(市)", prefecture), ("县(市、区)", county), ("乡镇", name)):
        if not value.strip():
            raise UserError(f"{label}名称不能为空。")

    def build() -> None:
        insert_township(
            prefecture=prefecture,
            county=county,
            name=name,
            division_code=division_code,
            authority=authority,
            created_at=created_at,
        )
        if year is not None:
            create_year(year)

    build_database(path, build)
    return Township.get_by_id(1)
