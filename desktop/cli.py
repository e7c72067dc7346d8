"""The command line: `township-desk [COMMAND]`; with no command it opens the program.

Exit status: 0 success, 1 refused (or 强制性 findings), 2 usage. Every message is Chinese and
no user mistake ends in a traceback. Qt is imported only when the window opens.
"""

from __future__ import annotations

import argparse
import functools
import os
import re
import sqlite3
import sys
from pathlib import Path

import peewee

from db.errors import UserError
from desktop import APP_NAME, __version__

USAGE_PATTERNS = (
    (r"the following arguments are required: (.*)", r"缺少必需的参数：\1"),
    (r"unrecognized arguments: (.*)", r"无法识别的参数：\1"),
    (
        r"argument (.*?): invalid choice: (.*?) \(choose from (.*)\)",
        r"参数 \1：无效的选项 \2（可选：\3）",
    ),
    (r"argument (.*?): invalid int value: (.*)", r"参数 \1：\2 不是整数"),
    (r"argument (.*?): expected one argument", r"参数 \1 需要一个值"),
    (r"argument (.*?): (.*)", r"参数 \1：\2"),
)


def _translate(message: str) -> str:
    for pattern, replacement in USAGE_PATTERNS:
        if re.fullmatch(pattern, message):
            return re.sub(pattern, replacement, message)
    return message


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, prefix="用法：" if prefix is None else prefix)


class ChineseArgumentParser(argparse.ArgumentParser):
    """argparse with Chinese help headings and error messages."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "命令"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：错误：{_translate(message)}\n")


def _data_dir_option(parser, default):
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=default,
        metavar="DIR",
        help="数据文件夹（默认：环境变量 TOWNSHIP_DESK_DATA_DIR 或本机用户数据文件夹）",
    )


def build_parser() -> ChineseArgumentParser:
    parser = ChineseArgumentParser(
        prog="township-desk", description=f"{APP_NAME}：离线填报、审核、导出"
    )
    parser.add_argument(
        "--version", action="version", version=f"{APP_NAME} {__version__}", help="显示版本号并退出"
    )
    _data_dir_option(parser, None)
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=ChineseArgumentParser)

    def command(name: str, help_text: str):
        p = sub.add_parser(name, help=help_text, description=help_text)
        _data_dir_option(p, argparse.SUPPRESS)
        return p

    p = command("init", "建立一个空的乡镇数据库")
    p.add_argument(
        "--prefecture", required=True, metavar="州(市)", help="所属州(市)，如 楚雄彝族自治州"
    )
    p.add_argument(
        "--county", required=True, metavar="县(市、区)", help="所属县(市、区)，如 双柏县"
    )
    p.add_argument("--township", required=True, metavar="乡镇", help="乡镇(街道)名称")
    p.add_argument("--code", required=True, metavar="代码", help="乡镇12位行政区划代码")
    p.add_argument("--authority", metavar="制表机关", help="制表机关，默认“中共××县委组织部”")
    p.add_argument("--year", type=int, metavar="年度", help="第一个统计年度（默认：上一年）")

    from desktop.sample_data import SCALES

    p = command("demo", "生成示例乡镇数据（可用于体验和测试）")
    p.add_argument(
        "--scale", choices=list(SCALES), default="township", help="规模（默认 township）"
    )
    p.add_argument("--seed", type=int, default=1, help="随机种子（相同种子生成相同数据）")
    p.add_argument("--township", metavar="乡镇", help="示例乡镇名称（默认 妥甸镇）")
    p.add_argument("--code", metavar="代码", help="示例乡镇12位区划代码")
    p.add_argument(
        "--prefecture", metavar="州(市)", help="示例乡镇所在州(市)（默认 楚雄彝族自治州）"
    )
    p.add_argument(
        "--county", metavar="县(市、区)", help="示例乡镇所在县（默认 双柏县；须同时给出 --code）"
    )

    p = command("check", "审核：列出所有审核问题")
    p.add_argument("--year", type=int, metavar="年度", help="统计年度（默认：最近的年度）")

    p = command("stats", "列出主要指标（表7）")
    p.add_argument("--year", type=int, metavar="年度", help="统计年度（默认：最近的年度）")

    p = command("export", "导出县里要的报表工作簿（.xlsx）")
    p.add_argument("--year", type=int, metavar="年度", help="统计年度（默认：最近的年度）")
    p.add_argument(
        "-o", "--output", type=Path, metavar="路径", help="保存到的文件夹或文件（默认：当前文件夹）"
    )
    p.add_argument("--preparer", metavar="姓名", help="填表人（默认：上次填写的）")
    p.add_argument("--reviewer", metavar="姓名", help="审核人（默认：上次填写的）")
    p.add_argument("--phone", metavar="电话", help="联系电话（默认：上次填写的）")

    p = command("import", "导入：本程序导出的报表（恢复）、干部花名册、集体经济收入表")
    p.add_argument("files", nargs="+", type=Path, metavar="文件", help="要导入的 .xlsx 文件")
    p.add_argument(
        "--year", type=int, metavar="年度", help="导入到哪个统计年度（默认：最近的年度）"
    )
    p.add_argument("--dry-run", action="store_true", help="只预览每一行将新增、更新或拒绝，不写入")
    p.add_argument(
        "--valid-only", action="store_true", help="只导入正确的行，不能导入的行另存为“待修正”文件"
    )
    p.add_argument(
        "--sheet",
        metavar="工作表",
        help="从哪个工作表读取花名册或统计表（默认：可见的工作表；隐藏的工作表须指定才导入）",
    )
    p.add_argument(
        "--new-villages",
        metavar="村名",
        default="",
        help="确认新建的村(社区)，用逗号分隔；表中其他不认识的村名一律拒绝",
    )

    p = command(
        "merge", "汇总：把乡镇报表合并为县报表，县报表合并为州(市)报表，州(市)报表合并为省报表"
    )
    p.add_argument(
        "files", nargs="+", type=Path, metavar="文件", help="下级报表（.xlsx）或所在文件夹"
    )
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar="路径",
        help="汇总表保存到的文件夹或文件",
    )
    p.add_argument("--year", type=int, metavar="年度", help="汇总年度（默认：多数报表的年度）")
    p.add_argument(
        "--expect",
        metavar="单位",
        help="应报单位（县汇总时为乡镇，州汇总时为县），用逗号分隔，用于列出缺报",
    )
    p.add_argument("--json", action="store_true", help="以 JSON 输出汇总情况（供本程序的窗口使用）")
    p.add_argument("--preparer", default="", metavar="姓名", help="填表人")
    p.add_argument("--reviewer", default="", metavar="姓名", help="审核人")
    p.add_argument("--phone", default="", metavar="电话", help="联系电话")

    p = command("backup", "立即备份数据库")
    p.add_argument(
        "-o",
        "--output",
        metavar="路径",
        help="备份到的文件（任何文件名）或已有的文件夹（或以 / 结尾的文件夹；默认：备份文件夹）",
    )

    p = command("backups", "列出备份：时间、大小、内容")
    p.add_argument(
        "--folder",
        type=Path,
        metavar="文件夹",
        help="以后备份到这个文件夹（如U盘），并立即备份一次",
    )

    p = command("restore", "用备份恢复数据库（恢复前的数据库会另存为备份）")
    p.add_argument("backup", type=Path, metavar="备份文件", help="要恢复的备份文件")
    p.add_argument("--yes", action="store_true", help="不再询问，直接恢复")

    p = command("history", "查看修改记录（哪张表、哪条记录、哪个字段、原值、新值、时间）")
    p.add_argument("--table", metavar="表", help="只看某张表，如 cadre")
    p.add_argument("--record", metavar="编号", help="只看某条记录，如 12")
    p.add_argument("-o", "--output", type=Path, metavar="路径", help="导出为 .xlsx 文件")

    p = command("explain", "为提示性审核问题填写说明")
    p.add_argument("--year", type=int, metavar="年度", help="统计年度（默认：最近的年度）")
    p.add_argument("--rule", required=True, metavar="规则", help="规则编号，如 C13")
    p.add_argument(
        "--record", required=True, metavar="记录", help="记录，如 cadre:12（见 check 的输出）"
    )
    p.add_argument("text", metavar="说明", help="说明文字（留空则清除）")

    p = command("new-year", "开始新年度：把组织、干部、村(社区)结转到下一年")
    p.add_argument(
        "--from",
        dest="from_year",
        type=int,
        metavar="年度",
        help="从哪个年度结转（默认：最近的年度）",
    )
    p = command("remove-year", "删除误开的最新统计年度（只在其中还没有录入任何数据时）")
    p.add_argument("year", type=int, metavar="年度", help="要删除的统计年度")
    p.add_argument("--yes", action="store_true", help="不再询问，直接删除")
    return parser


def _open(args, refuse_damaged: bool = True) -> Path:
    """Open the township database, take the day's automatic backup and make sure the
    database passes the full integrity check (the backup's check, or one of its own): a
    damaged database is refused, naming the newest good backup."""
    from db.backup import backup_folder, daily_backup
    from db.connection import database_path, init_db
    from db.errors import DamagedDatabase
    from db.integrity import refuse_if_damaged

    path = database_path(args.data_dir)
    init_db(path)
    try:
        if daily_backup(path) is None:  # taken earlier today: check on our own
            refuse_if_damaged(path, backup_folder(path))
    except DamagedDatabase as exc:
        if refuse_damaged:
            raise
        print(f"提示：{exc.message}", file=sys.stderr)
    except UserError as exc:
        print(f"提示：今天的自动备份没有成功（{exc.message}）", file=sys.stderr)
    return path


def cmd_init(args) -> int:
    import datetime as dt

    from db.connection import database_path
    from db.township import create_township
    from desktop.divisions import township_code_problem

    problem = township_code_problem(args.code, args.prefecture, args.county)
    if problem:
        raise UserError(problem)
    path = database_path(args.data_dir)
    year = args.year or dt.date.today().year - 1
    if not 1949 <= year <= 2200:
        raise UserError(f"统计年度 {year} 不是有效的年份。")
    township = create_township(
        path,
        prefecture=args.prefecture,
        county=args.county,
        name=args.township,
        division_code=args.code,
        authority=args.authority,
        year=year,
    )
    print(f"已建立{township.prefecture}{township.county}{township.name}的数据库：{path}")
    print(f"统计年度：{year}；制表机关：{township.authority}")
    return 0


def cmd_demo(args) -> int:
    from db.connection import database_path
    from db.fresh import is_empty_database
    from desktop.divisions import township_code_problem
    from desktop.sample_data import generate_sample

    path = database_path(args.data_dir)
    if not is_empty_database(path):
        raise UserError(f"{path} 已经存在乡镇数据库，示例数据只能生成到新的数据文件夹。")
    options = {}
    if args.township:
        options["township"] = args.township
    prefecture = args.prefecture or "楚雄彝族自治州"
    county = args.county or "双柏县"
    if args.prefecture or args.county:
        from desktop.divisions import county_code, prefecture_code

        if not prefecture_code(prefecture):
            raise UserError(f"没有名为“{prefecture}”的州(市)，请核对 --prefecture。")
        if not county_code(prefecture, county):
            raise UserError(f"{prefecture}没有名为“{county}”的县(市、区)，请核对 --county。")
        if not args.code:
            raise UserError(f"请用 --code 给出{county}一个乡镇的12位区划代码。")
        options["prefecture"], options["county"] = prefecture, county
    if args.code:
        problem = township_code_problem(args.code, prefecture, county)
        if problem:
            raise UserError(problem)
        options["code"] = args.code
    summary = generate_sample(path, scale=args.scale, seed=args.seed, **options)
    print(f"已生成示例乡镇“{summary.township}”：{path}")
    print(
        f"统计年度 {summary.years[0]}–{summary.years[-1]}；村(社区) {summary.villages} 个，"
        f"党组织 {summary.organizations} 个，干部 {summary.cadres} 人，扶持项目 {summary.projects} 个"
    )
    return 0


def cmd_check(args) -> int:
    from desktop.checks import blocking, run_checks

    _open(args)
    findings = run_checks(args.year)
    for finding in findings:
        print(f"{finding.line()}  [{finding.record_key}]")
    errors = len(blocking(findings))
    print(f"共 {len(findings)} 条：强制性 {errors} 条，提示性 {len(findings) - errors} 条")
    if errors:
        print("有强制性审核问题，修正后才能导出报表。", file=sys.stderr)
    return 1 if errors else 0


def cmd_stats(args) -> int:
    from db.statistics import key_figures
    from db.years import resolve_year

    _open(args)
    year = resolve_year(args.year).year
    for label, value in key_figures(year):
        print(f"{label}\t{value}")
    return 0


def cmd_export(args) -> int:
    from db.settings import get_setting, set_settings
    from desktop.reports.export import export_report

    _open(args)
    people = {
        key: value if value is not None else get_setting(f"report_{key}")
        for key, value in (
            ("preparer", args.preparer),
            ("reviewer", args.reviewer),
            ("phone", args.phone),
        )
    }
    result = export_report(args.output, args.year, **people)
    print(result.path)
    try:  # the workbook is complete: a failure from here on must not hide that
        set_settings(**{f"report_{key}": value for key, value in people.items()})
    except (UserError, sqlite3.DatabaseError, peewee.DatabaseError, OSError) as exc:
        print(
            f"提示：报表已完整导出到 {result.path}，可以上报；但记住填表人、审核人和电话"
            f"没有成功（{_reason(exc)}），下次导出时需重新填写。",
            file=sys.stderr,
        )
    if result.backup_problem:
        print(
            f"提示：报表已完整导出到 {result.path}，可以上报；但导出后的自动备份没有成功"
            f"（{result.backup_problem}）。",
            file=sys.stderr,
        )
    if result.warnings:
        print(
            f"已导出 {result.year} 年度报表，含提示性审核问题 {result.warnings} 条（见“审核情况”）。",
            file=sys.stderr,
        )
    return 0


def _reason(exc: BaseException) -> str:
    """Why `exc` happened, in Chinese where we know it."""
    if isinstance(exc, UserError):
        return exc.message
    if isinstance(exc, OSError):
        return "磁盘空间不足" if exc.errno in (27, 28) else (exc.strerror or str(exc))
    text = str(exc).lower()
    if "full" in text or "disk" in text or "too large" in text:
        return "磁盘空间不足"
    return str(exc)


def cmd_import(args) -> int:
    import re

    from desktop.imports.run import run_import

    new_villages = {n for n in re.split(r"[,，、\s]+", args.new_villages) if n}
    result = run_import(
        args.files,
        args.data_dir,
        year=args.year,
        dry_run=args.dry_run,
        valid_only=args.valid_only,
        sheet=args.sheet,
        new_villages=new_villages,
    )
    for plan in result.plans:
        print(plan.summary())
        for notice in plan.notices:
            print(f"  说明：{notice}")
        shown = plan.outcomes if args.dry_run else plan.refused + plan.ignored
        for outcome in shown:
            print(f"  {outcome.line()}")
    if args.dry_run:
        print("以上为预览，未写入任何数据。")
    else:
        print("导入完成。" + (f"导入前的数据已备份：{result.backup}" if result.backup else ""))
        for path in result.corrections:
            print(f"未导入的行已另存为：{path}")
    return 0


def cmd_merge(args) -> int:
    import re

    from desktop.merge.county import merge_workbooks

    expected = [n for n in re.split(r"[,，、\s]+", args.expect or "") if n]
    result = merge_workbooks(
        args.files,
        args.output,
        year=args.year,
        expected=expected,
        preparer=args.preparer,
        reviewer=args.reviewer,
        phone=args.phone,
    )
    if args.json:
        import json

        summary = {
            "path": str(result.path),
            "year": result.year,
            "merged": len(result.merged),  # townships merged, at every level below
            "received": len(result.inputs),  # files received (a county's counts once)
            "files": result.file_rows,
            "issues": result.issues,
        }
        print(json.dumps(summary, ensure_ascii=False, default=str))
        return 0
    print(result.path)
    print(
        f"{result.year} 年度：汇总乡镇 {len(result.merged)} 个，收到文件 {len(result.inputs)} 个，"
        f"发现问题 {len(result.issues)} 条（见“汇总情况”和“汇总问题”）。",
        file=sys.stderr,
    )
    for issue in result.issues[:30]:
        print(f"  [{issue['kind']}] {issue['message']}", file=sys.stderr)
    return 0


def cmd_backup(args) -> int:
    from db.backup import backup_database, backup_folder, backup_to_file, rotate
    from db.models import database

    path = _open(args)
    raw = args.output
    if raw is None:
        folder = backup_folder(path)
        made = backup_database(database, folder, "manual")
        rotate(folder)
    elif raw.endswith(("/", "\\", os.sep)) or Path(raw).is_dir():  # a folder: inside it
        made = backup_database(database, Path(raw), "manual")
    else:  # a file name, whatever its extension: exactly that file
        made = backup_to_file(database, Path(raw))
    print(made)
    return 0


def cmd_backups(args) -> int:
    from db.backup import backup_folder, list_backups

    path = _open(args, refuse_damaged=False)  # the list shows which backup is good
    if args.folder:
        from db.backup import BACKUP_DIR_SETTING, safety_backup
        from db.settings import set_settings

        set_settings(**{BACKUP_DIR_SETTING: str(args.folder.resolve())})
        print(f"以后备份到 {args.folder.resolve()}；已备份：{safety_backup('manual')}")
    folder = backup_folder(path)
    found = list_backups(folder)
    for info in found:
        print(info.line())
    print(f"共 {len(found)} 份备份，位于 {folder}")
    return 0


def cmd_restore(args) -> int:
    from db.backup import describe_backup, restore_backup
    from db.connection import database_path

    path = database_path(args.data_dir)
    info = describe_backup(args.backup)
    if not info.ok:
        raise UserError(f"备份 {args.backup.name} 不能用于恢复：{info.problem}。")
    if not args.yes:
        if not sys.stdin.isatty():
            raise UserError(
                "恢复会替换当前数据库。没有终端可以确认，请加 --yes 后重试；数据未作改动。"
            )
        answer = input(
            f"将用这份备份替换当前数据库：\n  {info.line()}\n确定恢复吗？（输入 是 或 y 确认）"
        )
        if answer.strip().lower() not in ("是", "y", "yes"):
            print("已取消，数据未作改动。")
            return 1
    kept = restore_backup(args.backup, path)
    print(f"已恢复：{info.township}，年度 {'、'.join(map(str, info.years))}。")
    if kept:
        print(f"恢复前的数据库已另存为备份：{kept}")
    return 0


def cmd_history(args) -> int:
    from desktop.history_export import export_history, history_lines

    _open(args)
    if args.output:
        print(export_history(args.output, args.table, args.record))
        return 0
    for line in history_lines(args.table, args.record):
        print(line)
    return 0


def cmd_explain(args) -> int:
    from db.years import resolve_year
    from desktop.checks import explain, run_checks

    _open(args)
    year = resolve_year(args.year).year
    rule_id = args.rule.upper()
    for finding in run_checks(year):
        if finding.rule_id == rule_id and finding.record_key == args.record:
            explain(year, finding, args.text)
            print("已清除说明。" if not args.text.strip() else "已保存说明。")
            return 0
    raise UserError(f"{year} 年度没有规则 {rule_id} 对记录 {args.record} 的审核问题。")


def cmd_new_year(args) -> int:
    from db.years import carry_forward, resolve_year

    _open(args)
    source = resolve_year(args.from_year).year
    counts = carry_forward(source)
    print(
        f"已开始 {source + 1} 年度：结转村(社区) {counts['villages']} 个，"
        f"党组织 {counts['organizations']} 个，扶持项目 {counts['projects']} 个；"
        "干部任职按日期自动延续。"
    )
    return 0


def cmd_remove_year(args) -> int:
    from db.years import removal_refusal, remove_year, years

    _open(args)
    refusal = removal_refusal(args.year)
    if refusal:
        raise UserError(refusal)
    if not args.yes:
        if not sys.stdin.isatty():
            raise UserError(
                f"删除 {args.year} 年度需要确认。没有终端可以确认，请加 --yes 后重试；数据未作改动。"
            )
        answer = input(
            f"将删除 {args.year} 年度（其中还没有录入数据；删除前会自动备份）。"
            "确定删除吗？（输入 是 或 y 确认）"
        )
        if answer.strip().lower() not in ("是", "y", "yes"):
            print("已取消，数据未作改动。")
            return 1
    counts = remove_year(args.year)
    print(
        f"已删除 {args.year} 年度（村(社区) {counts['villages']} 个、党组织 "
        f"{counts['organizations']} 个的年度情况）；现有年度：{'、'.join(map(str, years()))}。"
    )
    return 0


def cmd_gui(args) -> int:
    from desktop.ui.app import run

    return run(args.data_dir)


COMMANDS = {
    "init": cmd_init,
    "demo": cmd_demo,
    "check": cmd_check,
    "stats": cmd_stats,
    "export": cmd_export,
    "import": cmd_import,
    "merge": cmd_merge,
    "backup": cmd_backup,
    "backups": cmd_backups,
    "restore": cmd_restore,
    "history": cmd_history,
    "explain": cmd_explain,
    "new-year": cmd_new_year,
    "remove-year": cmd_remove_year,
    None: cmd_gui,
}

# commands that write into the data folder: one at a time, and never beside the window
WRITERS = {
    "init",
    "demo",
    "import",
    "restore",
    "new-year",
    "remove-year",
    "explain",
    "backup",
    "export",
    "backups",
}


def _writes(args) -> bool:
    if args.command == "import":
        return not args.dry_run
    if args.command == "backups":
        return bool(args.folder)
    return args.command in WRITERS


def _run(args) -> int:
    """Run the command, holding the data folder's lock if it writes."""
    if not _writes(args):
        return COMMANDS[args.command](args)
    from db.connection import database_path
    from desktop.instance_lock import folder_lock

    what = f"命令 {args.command}"
    if args.command == "import":
        what += " " + "、".join(Path(f).name for f in args.files)
    with folder_lock(database_path(args.data_dir).parent, what):
        return COMMANDS[args.command](args)


def _quiet_unraisable(data_dir, unraisable) -> None:
    """Library clean-up errors after a failure we already reported (a half-written
    workbook's stream, say) go to the data folder's log, not to the clerk's screen."""
    from desktop.crash_log import log_note

    log_note(f"{unraisable.exc_type.__name__}: {unraisable.exc_value}", data_dir)


def main(argv: list[str] | None = None) -> int:
    from db.change_watch import ChangeWatch
    from db.connection import database_path

    args = build_parser().parse_args(argv)
    data_dir = getattr(args, "data_dir", None)
    sys.unraisablehook = functools.partial(_quiet_unraisable, data_dir)
    watch = None
    try:
        watch = ChangeWatch(database_path(data_dir))  # did a failing command change data?
        return _run(args)
    except UserError as exc:
        print(f"错误：{exc.message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("已取消。", file=sys.stderr)
        return 1
    except (sqlite3.DatabaseError, peewee.DatabaseError) as exc:
        from db.connection import explain_database_error
        from desktop.crash_log import log_failure

        log_failure(f"township-desk {args.command}", exc, data_dir)  # for the maintainer
        print(f"错误：{explain_database_error(exc)}", file=sys.stderr)
        return 1
    except OSError as exc:
        from db.os_errors import explain_os_error
        from desktop.crash_log import log_failure

        log_failure(f"township-desk {args.command}", exc, data_dir)
        print(f"错误：{explain_os_error(exc)}", file=sys.stderr)
        return 1
    except Exception as exc:  # a bug, not the user's mistake: keep the details, say it plainly
        from desktop.crash_log import failure_message, log_failure

        what = f"执行 {args.command} 命令" if args.command else "打开程序窗口"
        log = log_failure(f"{what}：township-desk {' '.join(argv or sys.argv[1:])}", exc, data_dir)
        print(
            f"错误：{failure_message(what, watch.changed() if watch else None, log)}",
            file=sys.stderr,
        )
        return 3


if __name__ == "__main__":
    sys.exit(main())
