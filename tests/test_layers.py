"""The layering STYLE.md asks for: the data layer and the services run without Qt or openpyxl."""

import pkgutil
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODEL_NAMES = sorted(
    re.findall(r"^class (\w+)\(", (ROOT / "db" / "models.py").read_text(encoding="utf-8"), re.M)
)


def modules(package: str) -> list[str]:
    folder = ROOT / package.replace(".", "/")
    found = [package]
    for info in pkgutil.walk_packages([str(folder)], prefix=package + "."):
        if ".ui" not in info.name:
            found.append(info.name)
    return found


def test_db_and_services_import_without_qt_or_openpyxl():
    names = [m for m in modules("db") + modules("desktop") if m != "desktop.__main__"]
    code = (
        "import importlib, sys\n"
        f"for name in {names!r}: importlib.import_module(name)\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr


def test_db_never_imports_openpyxl():
    code = (
        "import importlib, sys\n"
        + "".join(f"importlib.import_module({m!r})\n" for m in modules("db"))
        + "assert 'openpyxl' not in sys.modules\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr


QUERY = re.compile(
    r"\b(?:" + "|".join(MODEL_NAMES) + r")\.(?:select|get|get_by_id|get_or_none|get_or_create|"
    r"create|insert|insert_many|update|delete|raw|bulk_create|bulk_update)\("
    r"|\bexecute_sql\("
)


def test_queries_live_in_db_only():
    """Pages, forms, rules and reports ask `db/` for what they need; none of them queries
    the models itself (the sample generator builds a database and may)."""
    found = []
    for path in sorted((ROOT / "desktop").rglob("*.py")):
        if path.name == "sample_data.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if QUERY.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "\n".join(found)
