"""An operating-system error in Chinese: what went wrong with which file, and what the clerk
can do about it. Every place that reads or writes the clerk's files (the command line,
backups, import, export, the county merge) says it the same way."""

from __future__ import annotations

import errno
from pathlib import Path

PERMISSION = (
    "没有权限读写该文件",
    "请在文件属性中取消“只读”，或换用有权限的 Windows 账户运行本程序；"
    "文件若正在 WPS 或 Excel 中打开，请先关闭",
)
IN_USE = ("文件正被其他程序使用", "请关闭 WPS、Excel 或其他打开它的程序后重试")
FULL = ("磁盘空间不足", "请清理磁盘，或换一个有空余空间的位置")

WORDS: dict[int, tuple[str, str]] = {
    errno.EACCES: PERMISSION,
    errno.EPERM: PERMISSION,
    errno.EBUSY: IN_USE,
    errno.ETXTBSY: IN_USE,
    errno.ENOSPC: FULL,
    errno.EFBIG: FULL,
    errno.EDQUOT: FULL,
    errno.ENOENT: (
        "找不到该文件或文件夹",
        "请检查路径是否正确；放在U盘或移动硬盘上的，请先插好",
    ),
    errno.EROFS: ("所在磁盘是只读的（如写保护的U盘），不能写入", "请换一个可以写入的位置"),
    errno.EISDIR: ("这是一个文件夹，不是文件", "请选择文件，或另起一个文件名"),
    errno.ENOTDIR: ("路径中有一段不是文件夹", "请检查路径是否正确"),
    errno.EEXIST: ("同名的文件或文件夹已经存在", "请换一个名称"),
    errno.ENOTEMPTY: ("文件夹不是空的", "请换一个空文件夹"),
    errno.EIO: ("读写磁盘时出错，磁盘或U盘可能有故障", "请换一个位置重试，并尽快备份"),
    errno.ENAMETOOLONG: ("路径或文件名太长", "请换一个较短的文件夹或文件名"),
    errno.EMFILE: ("同时打开的文件太多", "请关闭一些程序后重试"),
    errno.ENFILE: ("同时打开的文件太多", "请关闭一些程序后重试"),
    errno.EXDEV: ("不能在两个磁盘之间直接移动", "请先复制，再删除原文件"),
    errno.EINVAL: (
        "文件名不合法",
        '文件名中不能有 \\ / : * ? " < > | 等字符，请换一个名称',
    ),
}
# Windows reports a file another program holds as winerror 32/33 (errno EACCES)
WINDOWS_WORDS = {32: IN_USE, 33: IN_USE, 112: FULL}


def os_error_words(exc: OSError) -> tuple[str, str]:
    """(what happened, what the clerk can do), in Chinese, from the error's number."""
    winerror = getattr(exc, "winerror", None)
    if winerror in WINDOWS_WORDS:
        return WINDOWS_WORDS[winerror]
    if exc.errno in WORDS:
        return WORDS[exc.errno]
    code = exc.errno if exc.errno is not None else "未知"
    return f"系统报告错误（错误码 {code}）", "请检查该文件和所在磁盘后重试"


def explain_os_error(exc: OSError, path: Path | str | None = None, doing: str = "读写") -> str:
    """One Chinese sentence: 无法<doing> <file>：<what happened>。<what to do>。

    `path` names the file when the error itself does not (or names a temporary file)."""
    target = path if path is not None else (exc.filename or exc.filename2 or "")
    what, todo = os_error_words(exc)
    if str(target) and what == PERMISSION[0] and _is_folder(target):
        what = "没有权限读写该文件夹"
    where = f" {target}" if str(target) else ""
    return f"无法{doing}{where}：{what}。{todo}。"


def _is_folder(path) -> bool:
    try:
        return Path(path).is_dir()
    except OSError:
        return False
