"""The township's data: peewee models over one SQLite file.

Names follow the glossary of REPORTS.md. Money is stored exactly, as whole fen (分), and
handled as `Decimal` yuan; the report shows it in 万元. Every model but the bookkeeping ones
records its changes in `ChangeLog` (see `db.changelog`).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from peewee import (
    BigIntegerField,
    BooleanField,
    CharField,
    Check,
    DatabaseProxy,
    DateField,
    DateTimeField,
    DecimalField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

database = DatabaseProxy()

CENT = Decimal("0.01")


def now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


class MoneyField(BigIntegerField):
    """An exact amount in yuan (元), stored as whole fen; `Decimal` in Python."""

    def db_value(self, value):
        if value is None:
            return None
        amount = Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
        return int(amount * 100)

    def python_value(self, value):
        if value is None:
            return None
        return (Decimal(int(value)) / 100).quantize(CENT)


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False


class AuditedModel(BaseModel):
    """A model whose inserts and updates are written to the change log."""

    def save(self, force_insert: bool = False, only=None):
        from db.changelog import record_save

        with self._meta.database.atomic():
            return record_save(self, super().save, force_insert=force_insert, only=only)


class Township(AuditedModel):
    """The one township a database belongs to."""

    id = IntegerField(primary_key=True, constraints=[Check("id = 1")])
    name = CharField()
    county = CharField()
    prefecture = CharField()
    division_code = CharField(max_length=12)
    authority = CharField()  # 制表机关, e.g. 中共××县委组织部
    contact_person = CharField(default="")
    phone = CharField(default="")
    created_at = DateTimeField(default=now)


class StatYear(AuditedModel):
    """A statistical year (统计年度) the township reports on."""

    year = IntegerField(primary_key=True)
    cutoff_date = DateField()  # 统计截止日期
    created_at = DateTimeField(default=now)


class Village(AuditedModel):
    """A 行政村 or 社区 of the township, with its collective economic organization."""

    name = CharField(unique=True)
    kind = CharField(max_length=2)  # village_kind
    code = CharField(default="")  # 12-digit division code
    sort_order = IntegerField(default=0)
    relocation_site = BooleanField(default=False)  # 易地搬迁安置点
    border = BooleanField(default=False)  # 边境村
    collective_org_name = CharField(default="")  # 村集体经济组织
    credit_code = CharField(default="")  # its unified social credit code (N2…)
    notes = TextField(default="")


class VillageYear(AuditedModel):
    """A village's figures in one statistical year; its presence means the village reports."""

    village = ForeignKeyField(Village, backref="years", on_delete="CASCADE")
    year = IntegerField(index=True)
    group_count = IntegerField(default=0)  # 村民小组数
    households = IntegerField(default=0)
    population = IntegerField(default=0)

    class Meta:
        indexes = ((("village", "year"), True),)


class Organization(AuditedModel):
    """A party organization (党委, 党总支 or 党支部) of the township."""

    name = CharField()
    kind = CharField(max_length=2)  # org_kind
    joint = BooleanField(default=False)  # 联合
    temporary = BooleanField(default=False)  # 临时
    field = CharField(max_length=2)  # org_field (所属领域)
    unit = CharField(default="")  # org_unit: built on a 村民小组, 网格, 小区 …
    parent = ForeignKeyField("self", null=True, backref="children", on_delete="SET NULL")
    village = ForeignKeyField(Village, null=True, backref="organizations", on_delete="SET NULL")
    founded = DateField(null=True)
    dissolved = DateField(null=True)
    sort_order = IntegerField(default=0)
    notes = TextField(default="")


class OrgYear(AuditedModel):
    """An organization's members, rating and creation status in one statistical year."""

    organization = ForeignKeyField(Organization, backref="years", on_delete="CASCADE")
    year = IntegerField(index=True)
    members_full = IntegerField(default=0)  # 正式党员
    members_probationary = IntegerField(default=0)  # 预备党员
    members_female = IntegerField(default=0)
    members_minority = IntegerField(default=0)
    members_35_under = IntegerField(default=0)
    members_college = IntegerField(default=0)  # 大专及以上
    rating = CharField(default="")  # 分类定级
    weak_lax = BooleanField(default=False)  # 软弱涣散
    weak_lax_rectified = BooleanField(default=False)
    rectification = TextField(default="")  # 整顿措施
    creation = CharField(default="")  # 示范 / 达标
    creation_program = CharField(default="")  # 四级联创 / 一带五区
    standardized = BooleanField(default=False)  # 规范化建设达标
    funds = MoneyField(default=0)  # 工作经费 (元)

    class Meta:
        indexes = ((("organization", "year"), True),)

    @property
    def members_total(self) -> int:
        return self.members_full + self.members_probationary


class Cadre(AuditedModel):
    """A person: village cadre, secretary, first secretary, reserve cadre …"""

    name = CharField()
    gender = CharField(max_length=1)
    ethnicity = CharField(max_length=2)
    id_number = CharField(max_length=18, unique=True)  # one ID number is one person
    birth_date = DateField()
    education_fulltime = CharField(default="")  # 全日制学历
    education_inservice = CharField(default="")  # 在职学历
    political_status = CharField(max_length=2)
    party_joined = DateField(null=True)
    phone = CharField(default="")
    village = ForeignKeyField(Village, null=True, backref="cadres", on_delete="SET NULL")
    notes = TextField(default="")


class Appointment(AuditedModel):
    """A post held by a cadre from `start_date` (None if unknown) until `end_date` (the day
    the post was left)."""

    cadre = ForeignKeyField(Cadre, backref="appointments", on_delete="CASCADE")
    post = CharField(max_length=2)
    village = ForeignKeyField(Village, null=True, backref="appointments", on_delete="SET NULL")
    organization = ForeignKeyField(
        Organization, null=True, backref="appointments", on_delete="SET NULL"
    )
    start_date = DateField(null=True)  # None: 任现职时间 not known (never invented)
    end_date = DateField(null=True)
    sending_unit = CharField(default="")  # 派出单位 (驻村)
    sending_unit_post = CharField(default="")  # 派出单位职务
    notes = TextField(default="")


class Enrollment(AuditedModel):
    """A cadre's 学历提升 enrolment (双提升)."""

    cadre = ForeignKeyField(Cadre, backref="enrollments", on_delete="CASCADE")
    level = CharField(max_length=2)  # education code aimed at
    school = CharField(default="")
    major = CharField(default="")
    start_date = DateField()
    end_date = DateField(null=True)
    status = CharField(max_length=1)  # enrollment_status


class Training(AuditedModel):
    """A training programme run in a statistical year: 期数 and 人次 go into 表7."""

    year = IntegerField(index=True)
    program = CharField(max_length=2)  # training_program
    title = CharField()
    start_date = DateField()
    end_date = DateField()
    sessions = IntegerField(default=1)  # 期数
    attendances = IntegerField(default=0)  # 人次
    organizer = CharField(default="")


class TrainingAttendance(AuditedModel):
    training = ForeignKeyField(Training, backref="attendees", on_delete="CASCADE")
    cadre = ForeignKeyField(Cadre, backref="trainings", on_delete="CASCADE")

    class Meta:
        indexes = ((("training", "cadre"), True),)


class CollectiveEconomy(AuditedModel):
    """A village's collective-economy accounts for one year (元, exact)."""

    village = ForeignKeyField(Village, backref="economy", on_delete="CASCADE")
    year = IntegerField(index=True)
    operating_income = MoneyField(default=0)  # 经营收入
    contract_income = MoneyField(default=0)  # 发包及上交收入
    investment_income = MoneyField(default=0)  # 投资收益
    subsidy_income = MoneyField(default=0)  # 补助收入
    other_income = MoneyField(default=0)  # 其他收入
    expenses = MoneyField(default=0)  # 总支出
    assets = MoneyField(default=0)  # 资产总额
    liabilities = MoneyField(default=0)  # 负债总额
    notes = TextField(default="")

    class Meta:
        indexes = ((("village", "year"), True),)

    INCOME_FIELDS = (
        "operating_income",
        "contract_income",
        "investment_income",
        "subsidy_income",
        "other_income",
    )
    OPERATING_FIELDS = ("operating_income", "contract_income", "investment_income")
    LABELS = {  # the names the county's forms use, for messages, grids and imports
        "operating_income": "经营收入",
        "contract_income": "发包及上交收入",
        "investment_income": "投资收益",
        "subsidy_income": "补助收入",
        "other_income": "其他收入",
        "expenses": "总支出",
        "assets": "资产总额",
        "liabilities": "负债总额",
    }


class Project(AuditedModel):
    """A support project (扶持壮大村级集体经济项目), possibly shared by several villages."""

    name = CharField()
    type = CharField(max_length=2)  # project_type
    start_year = IntegerField()  # 立项年度
    fund_central = MoneyField(default=0)
    fund_provincial = MoneyField(default=0)
    fund_prefecture = MoneyField(default=0)  # 州(市)级
    fund_county = MoneyField(default=0)
    fund_self = MoneyField(default=0)  # 乡镇及村自筹
    fund_social = MoneyField(default=0)  # 社会资本
    partner = CharField(default="")  # 合作主体
    notes = TextField(default="")

    FUND_LABELS = {  # the 总投资 sources, in the order of 表6
        "fund_central": "中央资金",
        "fund_provincial": "省级资金",
        "fund_prefecture": "州(市)级资金",
        "fund_county": "县级资金",
        "fund_self": "乡镇及村自筹",
        "fund_social": "社会资本",
    }
    FUND_FIELDS = tuple(FUND_LABELS)


class ProjectVillage(AuditedModel):
    """A village sharing a project (抱团发展), with its share of the yield in percent."""

    project = ForeignKeyField(Project, backref="villages", on_delete="CASCADE")
    village = ForeignKeyField(Village, backref="projects", on_delete="CASCADE")
    share = DecimalField(max_digits=6, decimal_places=2, null=True)

    class Meta:
        indexes = ((("project", "village"), True),)


class ProjectYear(AuditedModel):
    """A project's status and yield in one statistical year."""

    project = ForeignKeyField(Project, backref="years", on_delete="CASCADE")
    year = IntegerField(index=True)
    status = CharField(max_length=1)  # project_status
    income = MoneyField(default=0)  # 当年收益
    dividend_collective = MoneyField(default=0)  # 村集体分红
    dividend_households = MoneyField(default=0)  # 农户分红
    households_driven = IntegerField(default=0)  # 带动农户数

    class Meta:
        indexes = ((("project", "year"), True),)


class FindingNote(AuditedModel):
    """The clerk's 说明 for a 提示性 finding; keyed so that it survives re-checks."""

    year = IntegerField()
    rule_id = CharField()
    record_key = CharField()  # "<table>:<id>"
    note = TextField()
    updated_at = DateTimeField(default=now)

    class Meta:
        indexes = ((("year", "rule_id", "record_key"), True),)


class Setting(BaseModel):
    """Remembered choices (preparer, reviewer, phone …)."""

    key = CharField(primary_key=True)
    value = TextField(default="")


class ChangeLog(BaseModel):
    """Every change: which table, record and field, the old and new value, and when."""

    time = DateTimeField(default=now, index=True)
    table_name = CharField()
    record_id = CharField()
    action = CharField()  # create, update, delete, restore, carry_forward …
    field_name = CharField(default="")
    old_value = TextField(null=True)
    new_value = TextField(null=True)
    note = TextField(default="")

    class Meta:
        indexes = ((("table_name", "record_id"), False),)


class RecycleBin(BaseModel):
    """A deleted record with everything deleted along with it, restorable as it was."""

    deleted_at = DateTimeField(default=now)
    table_name = CharField()
    record_id = CharField()
    label = CharField()  # what the clerk sees, e.g. 干部 张三
    payload = TextField()  # JSON: the rows and the links that were cleared
    restored_at = DateTimeField(null=True)


DATA_MODELS: tuple[type[BaseModel], ...] = (
    Township,
    StatYear,
    Village,
    VillageYear,
    Organization,
    OrgYear,
    Cadre,
    Appointment,
    Enrollment,
    Training,
    TrainingAttendance,
    CollectiveEconomy,
    Project,
    ProjectVillage,
    ProjectYear,
    FindingNote,
)
ALL_MODELS: tuple[type[BaseModel], ...] = DATA_MODELS + (Setting, ChangeLog, RecycleBin)
