"""Shared fixtures: real SQLite files made by the project's own sample generator."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from db.connection import DB_FILENAME, close_db, init_db  # noqa: E402
from desktop.sample_data import generate_sample  # noqa: E402


@pytest.fixture(scope="session")
def sample_templates(tmp_path_factory):
    """One generated database per scale, made once; tests get their own copies."""
    made: dict[tuple[str, int], Path] = {}

    def template(scale: str, seed: int = 1) -> Path:
        key = (scale, seed)
        if key not in made:
            path = tmp_path_factory.mktemp(f"template-{scale}-{seed}") / DB_FILENAME
            generate_sample(path, scale=scale, seed=seed)
            close_db()  # checkpoints the WAL into the file, so a plain copy is complete
            made[key] = path
        return made[key]

    return template


@pytest.fixture(autouse=True)
def own_home(tmp_path, monkeypatch):
    """No test reads or writes the real per-user data folder (or its data-folder pointer)."""
    from db.connection import DATA_DIR_ENV

    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "home"))
    monkeypatch.setenv("TOWNSHIP_DESK_LOCK_WAIT", "0.3")  # a second writer is refused soon


@pytest.fixture
def data_dir(tmp_path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    yield folder
    close_db()


@pytest.fixture
def sample(sample_templates, data_dir):
    """Open a fresh copy of a seeded sample township: `sample("township")` → its db path."""

    def open_sample(scale: str = "small", seed: int = 1) -> Path:
        path = data_dir / DB_FILENAME
        close_db()
        shutil.copyfile(sample_templates(scale, seed), path)
        init_db(path)
        return path

    return open_sample


@pytest.fixture
def blank(data_dir):
    """A new, empty township database (妥甸镇, statistical year 2025)."""
    from db.township import create_township
    from db.years import create_year

    path = data_dir / DB_FILENAME
    create_township(
        path,
        prefecture="楚雄彝族自治州",
        county="双柏县",
        name="妥甸镇",
        division_code="532322100000",
    )
    create_year(2025)
    return path
