"""Screenshots of every page and the main forms at 1366×768 (a common township screen), on
the `township` sample: `make screenshots`. They are looked at before a release and kept
here so a reviewer sees the program without running it."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

PAGES = {
    "概览": "overview",
    "村(社区)": "villages",
    "党组织": "organizations",
    "干部": "cadres",
    "集体经济": "economy",
    "扶持项目": "projects",
    "培训": "trainings",
    "审核": "findings",
    "导出": "export",
    "导入": "import",
    "县级汇总": "merge",
    "回收站": "recycle-bin",
    "备份与恢复": "backups",
    "设置": "settings",
    "帮助": "help",
}


def settle(app, until=lambda: True, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.processEvents()
        if until():
            break
        time.sleep(0.02)
    app.processEvents()


def main() -> int:
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv)
    from db.connection import DB_FILENAME, close_db
    from db.models import Appointment, Training
    from desktop.sample_data import generate_sample
    from desktop.ui.main_window import NAV, MainWindow
    from desktop.ui.settings_page import apply_font_size

    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder)
        generate_sample(data_dir / DB_FILENAME, scale="township", seed=1)
        close_db()
        window = MainWindow(data_dir)
        window.resize(1366, 768)
        window.show()
        settle(app, lambda: not window.checks_pending)
        for title, name in PAGES.items():
            window.nav.setCurrentRow(NAV.index(title))
            settle(app, seconds=0.2)
            window.grab().save(str(HERE / f"{NAV.index(title) + 1:02d}-{name}.png"))

        from desktop.ui.cadre_dialog import CadreDialog
        from desktop.ui.post_dialogs import AppointmentDialog
        from desktop.ui.training_dialog import TrainingDialog

        post = Appointment.get(
            (Appointment.post == "11") & Appointment.end_date.is_null(False)
        )  # someone with a 换届 in their history
        villages = [(v.id, v.name) for v in window.data.villages]
        training = Training.get(Training.year == window.data.year)
        for name, dialog in (
            ("form-cadre", CadreDialog(post.cadre_id, villages, window)),
            ("form-post", AppointmentDialog(post.cadre_id, post.id, villages, window)),
            ("form-training", TrainingDialog(training.id, window.data.year, window)),
        ):
            dialog.show()
            settle(app, seconds=0.2)
            dialog.grab().save(str(HERE / f"{name}.png"))
            dialog.close()

        apply_font_size("特大")
        window.scale_fonts("特大")
        window.nav.setCurrentRow(NAV.index("概览"))
        settle(app, seconds=0.3)
        window.grab().save(str(HERE / "overview-largest-font.png"))
        window.close()
        close_db()
    print(f"screenshots written to {HERE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
