"""Creating the township a database belongs to."""

from __future__ import annotations

from pathlib import Path

from db.connection import init_db
from db.errors import UserError
from db.models import Township, database


def create_township(
    path: Path,
    *,
    prefecture: str,
    county: str,
    name: str,
    division_code: str,
    authority: str | None = None,
    created_at=None,
) -> Township:
    """Create a new, empty township database at `path`; never touches an existing one."""
    if path.exists():
        raise UserError(f"{path} 已经存在乡镇数据库，不会覆盖。请换一个数据文件夹。")
    for label, value in (("州(市)", prefecture), ("县(市、区)", county), ("乡镇", name)):
        if not value.strip():
            raise UserError(f"{label}名称不能为空。")
    init_db(path, create=True)
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
