"""Qt's own words in Chinese: the Yes/No/OK/Cancel buttons, file dialogs and context menus
come from Qt's translations (qtbase_zh_CN.qm, shipped with PySide6 and in the package)."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

QT_CATALOGUES = ("qtbase_zh_CN",)


def install_chinese(app: QApplication) -> bool:
    """Load Qt's Chinese catalogues into `app` (once); True when Qt speaks Chinese."""
    if app.property("township_desk_chinese"):
        return True
    QLocale.setDefault(QLocale(QLocale.Chinese, QLocale.China))
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    loaded = False
    for name in QT_CATALOGUES:
        translator = QTranslator(app)  # parented: lives as long as the application
        if translator.load(name, folder):
            app.installTranslator(translator)
            loaded = True
    app.setProperty("township_desk_chinese", loaded)
    return loaded
