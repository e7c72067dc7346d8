"""The exported workbook as the county prints it: LibreOffice turns it into a PDF."""

import shutil
import subprocess

import pytest

from desktop.reports.export import export_report
from desktop.reports.spec import workbook_specs

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(
    not (SOFFICE and shutil.which("pdftotext")),
    reason="LibreOffice or poppler-utils is not installed (make test installs them on Debian)",
)


@pytest.mark.slow
def test_every_sheet_renders_with_its_chinese_title_and_nothing_cut(sample, data_dir, tmp_path):
    sample("township")
    path = export_report(data_dir / "报表.xlsx", preparer="李四", reviewer="王五").path
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "报表.pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages")))
    assert 12 <= pages <= 30, pages
    for spec in workbook_specs():
        assert spec.title.replace("“", "").replace("”", "")[:6] in text.replace("“", "").replace(
            "”", ""
        ), spec.title
    for header in (
        "党组织数",
        "身份证号",
        "经营性收入",
        "总投资",
        "村党组织书记平均年龄",
        "填报单位（盖章）",
    ):
        assert header in text
    assert "###" not in text
    assert f"第 1 页 共 {pages} 页" in text
    assert "532" in text  # ID numbers print whole, never as 5.32E+17
    assert "E+17" not in text
