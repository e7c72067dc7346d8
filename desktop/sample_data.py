"""A realistic, seeded sample township (rural Yunnan) for demos, tests and benchmarks.

Everything is valid (no 强制性 finding, so a sample always exports) apart from a few planted
提示性 findings a clerk would meet: a 76-year-old group leader, a branch with two full members,
a branch grown past 50 members, a village in debt, a cadre without a phone; and, against last
year, a branch that took in six members, a one-off 补助, a project's first full year of
经营性收入, a doubled 工作经费 and a 后进 organization now rated 先进. Otherwise figures drift
from year to year as a real township's do (a member or two, income by some per cent), so the
year-over-year rules stay silent. `Summary.planted` names the rules of the planted findings.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from stdnum.cn import ric, uscc

from db import changelog, codes
from db.bulk import bulk_insert
from db.errors import UserError
from db.fresh import build_database, is_empty_database
from db.models import (
    DATA_MODELS,
    Appointment,
    Cadre,
    CollectiveEconomy,
    Enrollment,
    Organization,
    OrgYear,
    Project,
    ProjectVillage,
    ProjectYear,
    StatYear,
    Training,
    TrainingAttendance,
    Village,
    VillageYear,
    database,
)
from db.township import insert_township
from resources import load_json

LATEST_YEAR = 2025
SAMPLE_TIME = dt.datetime(LATEST_YEAR, 1, 5, 9, 0)
ELECTIONS = (2011, 2016, 2021)  # 村“两委”换届 (every five years; the next in 2026)


@dataclass(frozen=True)
class Scale:
    villages: int
    years: int
    previous_terms: int  # earlier 两委 terms kept as history
    grid_workers: tuple[int, int]
    reserves: tuple[int, int]
    township_orgs: int
    groups: tuple[int, int]  # 村民小组 per village


SCALES = {
    "small": Scale(3, 2, 1, (1, 2), (1, 2), 4, (3, 6)),
    "township": Scale(15, 3, 1, (2, 3), (2, 3), 12, (8, 16)),
    "large": Scale(40, 10, 2, (16, 20), (6, 8), 40, (10, 16)),
    "huge": Scale(400, 10, 2, (16, 20), (6, 8), 400, (10, 16)),
}

# Counties of 楚雄彝族自治州: area codes that cadres' ID numbers carry.
COUNTY_AREAS = (
    "532301",
    "532322",
    "532323",
    "532324",
    "532325",
    "532326",
    "532327",
    "532328",
    "532329",
    "532331",
)
ETHNIC_MIX = (  # (dominant ethnicity, share) per village; the rest are mostly 汉族
    ("07", 0.6),
    ("07", 0.45),
    ("01", 0.0),
    ("06", 0.4),
    ("20", 0.4),
    ("03", 0.5),
    ("18", 0.3),
    ("14", 0.3),
    ("07", 0.7),
)


@dataclass
class Summary:
    township: str
    years: list[int]
    villages: int = 0
    organizations: int = 0
    cadres: int = 0
    appointments: int = 0
    projects: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    planted: set[str] = field(default_factory=set)  # the rules whose findings it carries


class _Builder:
    """Builds all rows in memory with explicit ids, then inserts them in one transaction."""

    def __init__(self, scale: Scale, seed: int, township_code: str):
        self.scale = scale
        self.rnd = random.Random(seed)
        self.names = load_json("sample_names.json")
        self.code = township_code
        self.years = list(range(LATEST_YEAR - scale.years + 1, LATEST_YEAR + 1))
        self.first_year = self.years[0]
        self.rows: dict[type, list[dict]] = {}
        self.ids: dict[type, int] = {}
        self.used_ids: set[str] = set()
        self.person_names: set[tuple[str, dt.date]] = set()
        self.current_cadres: list[int] = []  # village cadres in post at the latest cut-off
        self.planted: set[str] = set()
        self.drift: dict[int, tuple[int, int, int]] = {}  # org → last year's members, funds

    # -- plumbing ------------------------------------------------------------------------
    def add(self, model, **values) -> int:
        new_id = self.ids.get(model, 0) + 1
        self.ids[model] = new_id
        values.setdefault("id", new_id)
        self.rows.setdefault(model, []).append(values)
        return new_id

    def date_in(self, year: int, first_month: int = 1, last_month: int = 12) -> dt.date:
        month = self.rnd.randint(first_month, last_month)
        return dt.date(year, month, self.rnd.randint(1, 28))

    # -- people --------------------------------------------------------------------------
    def person_name(self, gender: str, ethnicity: str) -> str:
        pool = self.names["surnames_hui"] if ethnicity == "03" else self.names["surnames"]
        given = self.names["given_male" if gender == codes.MALE else "given_female"]
        parts = [self.rnd.choice(given) for _ in range(self.rnd.choice((1, 2, 2)))]
        return self.rnd.choice(pool) + "".join(parts)

    def id_number(self, birth: dt.date, gender: str, area: str | None = None) -> str:
        area = area or self.rnd.choice(COUNTY_AREAS)
        while True:
            seq = self.rnd.randint(0, 499) * 2 + (1 if gender == codes.MALE else 0)
            body = f"{area}{birth:%Y%m%d}{seq:03d}"
            number = body + ric.calc_check_digit(body + "0")
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number

    def cadre(
        self,
        *,
        village: int | None,
        ethnic: tuple[str, float],
        age: tuple[int, int],
        party: float = 0.7,
        education: tuple[str, ...] = ("30", "40", "60", "70", "70"),
        female: float = 0.25,
        area: str | None = None,
        phone: bool = True,
        ref_year: int = LATEST_YEAR,
    ) -> int:
        """A new person aged `age` in `ref_year` (the year the first post starts); a party
        member joined before that year."""
        rnd = self.rnd
        gender = codes.FEMALE if rnd.random() < female else codes.MALE
        dominant, share = ethnic
        r = rnd.random()
        ethnicity = (
            dominant if r < share else ("01" if r < 0.93 else rnd.choice(("07", "06", "20")))
        )
        while True:
            birth = dt.date(ref_year - rnd.randint(*age), rnd.randint(1, 12), rnd.randint(1, 28))
            name = self.person_name(gender, ethnicity)
            if (name, birth) not in self.person_names:
                self.person_names.add((name, birth))
                break
        young = ref_year - birth.year < 28
        if rnd.random() < party:
            status = codes.PARTY_MEMBER
        else:
            status = "03" if young and rnd.random() < 0.5 else codes.MASSES  # 共青团员 / 群众
        joined = None
        if status == codes.PARTY_MEMBER:
            earliest = birth.year + 19
            joined = self.date_in(rnd.randint(earliest, max(earliest, ref_year - 1)))
        fulltime = rnd.choice(education)
        inservice = ""
        if fulltime in ("40", "60") and rnd.random() < 0.3:
            inservice = "30"
        return self.add(
            Cadre,
            name=name,
            gender=gender,
            ethnicity=ethnicity,
            id_number=self.id_number(birth, gender, area),
            birth_date=birth,
            education_fulltime=fulltime,
            education_inservice=inservice,
            political_status=status,
            party_joined=joined,
            phone=f"1{rnd.choice('3578')}{rnd.randint(0, 999999999):09d}" if phone else "",
            village=village,
            notes="",
        )

    def appoint(
        self,
        cadre: int,
        post: str,
        start: dt.date,
        end: dt.date | None = None,
        *,
        village: int | None = None,
        organization: int | None = None,
        sending_unit: str = "",
        sending_unit_post: str = "",
    ) -> int:
        return self.add(
            Appointment,
            cadre=cadre,
            post=post,
            village=village,
            organization=organization,
            start_date=start,
            end_date=end,
            sending_unit=sending_unit,
            sending_unit_post=sending_unit_post,
            notes="",
        )

    # -- the township --------------------------------------------------------------------
    def build(self) -> None:
        for year in self.years:
            self.add(
                StatYear,
                id=year,
                year=year,
                cutoff_date=dt.date(year, 12, 31),
                created_at=SAMPLE_TIME,
            )
        names = self.rnd.sample(self.names["village_names"], k=min(self.scale.villages, 60))
        communities = list(self.names["community_names"])
        villages = []
        for index in range(self.scale.villages):
            is_community = index % 8 == 7 and communities
            if is_community:
                name = communities.pop(0) + "社区"
            elif index < len(names):
                name = names[index] + "村"
            else:
                name = f"{self.rnd.choice(names)}{index + 1}村"
            villages.append(self.village(index, name, bool(is_community)))
        self.township_organizations()
        self.projects(villages)
        self.trainings()

    def village(self, index: int, name: str, community: bool) -> int:
        rnd = self.rnd
        kind = codes.COMMUNITY if community else codes.VILLAGE
        serial = (index + 1) if community else 200 + index + 1
        credit = ""
        if index % 5 != 4:  # a few villages have not registered yet (提示性 E04 is not planted)
            body = f"N2{self.code[:6]}MF{rnd.randint(0, 99999999):08d}"[:17]
            credit = body + uscc.calc_check_digit(body)
        village = self.add(
            Village,
            name=name,
            kind=kind,
            code=f"{self.code[:9]}{serial:03d}",
            sort_order=index + 1,
            relocation_site=community and index % 16 == 7,
            border=False,
            collective_org_name=f"{name}股份经济合作社",
            credit_code=credit,
            notes="",
        )
        groups = rnd.randint(*self.scale.groups)
        households = groups * rnd.randint(35, 70)
        for year in self.years:
            self.add(
                VillageYear,
                village=village,
                year=year,
                group_count=groups,
                households=households + (year - self.first_year) * rnd.randint(0, 4),
                population=households * rnd.randint(3, 4),
            )
        ethnic = ETHNIC_MIX[index % len(ETHNIC_MIX)]
        main_org, branches = self.village_organizations(village, name, community, groups, ethnic)
        self.village_cadres(index, village, main_org, branches, ethnic, community, groups)
        self.economy(index, village)
        return village

    def village_organizations(self, village, name, community, groups, ethnic):
        rnd = self.rnd
        field_code = codes.FIELD_COMMUNITY if community else codes.FIELD_RURAL
        big = groups >= 6
        main = self.add(
            Organization,
            name=f"中共{name}{'总支部委员会' if big else '支部委员会'}",
            kind=codes.GENERAL_BRANCH if big else codes.BRANCH,
            joint=False,
            temporary=False,
            field=field_code,
            unit="",
            parent=None,
            village=village,
            founded=self.date_in(rnd.randint(1952, 1990)),
            dissolved=None,
            sort_order=village * 100,
            notes="",
        )
        branches: list[tuple[int, int]] = []  # (organization id, group number)
        if big:
            unit = codes.UNIT_GRID if community else codes.UNIT_GROUP
            label = "网格" if community else "村民小组"
            group = 1
            while group <= groups:
                joint = group < groups and rnd.random() < 0.15
                span = f"{group}、{group + 1}" if joint else f"{group}"
                org = self.add(
                    Organization,
                    name=f"{name}第{span}{label}{'联合' if joint else ''}党支部",
                    kind=codes.BRANCH,
                    joint=joint,
                    temporary=False,
                    field=field_code,
                    unit=unit,
                    parent=main,
                    village=village,
                    founded=self.date_in(rnd.randint(2017, 2020)),
                    dissolved=None,
                    sort_order=village * 100 + group,
                    notes="",
                )
                branches.append((org, group))
                group += 2 if joint else 1
            if not community and rnd.random() < 0.5:
                org = self.add(
                    Organization,
                    name=f"{name}种养殖专业合作社党支部",
                    kind=codes.BRANCH,
                    joint=False,
                    temporary=False,
                    field=field_code,
                    unit="4",
                    parent=main,
                    village=village,
                    founded=self.date_in(2020),
                    dissolved=None,
                    sort_order=village * 100 + 99,
                    notes="",
                )
                branches.append((org, 0))
        member_orgs = [b for b, _ in branches] or [main]
        rating_of = {}
        for org in [main] + [b for b, _ in branches]:
            rating_of[org] = rnd.choices(
                (codes.ADVANCED, codes.AVERAGE, codes.BACKWARD), (0.3, 0.65, 0.05)
            )[0]
        for year in self.years:
            for org in [main] + [b for b, _ in branches]:
                self.org_year(org, year, org in member_orgs, ethnic, rating_of[org])
        return main, branches

    def org_year(self, org: int, year: int, holds_members: bool, ethnic, rating: str) -> None:
        """An organization's year: its members and 工作经费 drift a little from last year's,
        as a real branch's do (a member or two more or fewer, a thousand yuan more or less)."""
        rnd = self.rnd
        if holds_members:
            last = self.drift.get(org)
            if last is None:
                full = rnd.randint(5, 16) + org % 7
                prob = rnd.randint(0, 2)
                funds = rnd.randint(0, 30) * 1000
            else:
                full = max(5, last[0] + rnd.choice((-1, 0, 0, 0, 1)))
                prob = min(2, max(0, last[1] + rnd.choice((-1, 0, 1))))
                funds = max(0, last[2] + rnd.choice((-1, 0, 0, 1)) * 1000)
            self.drift[org] = (full, prob, funds)
        else:
            full = prob = funds = 0
        total = full + prob
        weak = rating == codes.BACKWARD and year == LATEST_YEAR and org % 3 == 0
        creation = ""
        if rating == codes.ADVANCED:
            creation = codes.DEMONSTRATION if org % 4 == 0 else codes.STANDARD
        self.add(
            OrgYear,
            organization=org,
            year=year,
            members_full=full,
            members_probationary=prob,
            members_female=round(total * rnd.uniform(0.15, 0.35)),
            members_minority=round(total * ethnic[1] * rnd.uniform(0.8, 1.0)),
            members_35_under=round(total * rnd.uniform(0.1, 0.3)),
            members_college=round(total * rnd.uniform(0.05, 0.25)),
            rating=rating,
            weak_lax=weak,
            weak_lax_rectified=False,
            rectification="成立整顿工作组，县级领导联系指导，选优配强支部班子" if weak else "",
            creation=creation,
            creation_program="1" if creation else "",
            standardized=rating != codes.BACKWARD,
            funds=Decimal(funds),
        )

    def village_cadres(self, index, village, main_org, branches, ethnic, community, groups):
        rnd = self.rnd
        scale = self.scale
        terms = [y for y in ELECTIONS if y <= LATEST_YEAR][-(scale.previous_terms + 1) :]
        term_dates = {y: dt.date(y, rnd.randint(1, 3), rnd.randint(1, 28)) for y in terms}
        current_start = term_dates[terms[-1]]
        one_shoulder = rnd.random() < 0.65

        def team(start: dt.date, end: dt.date | None, current: bool) -> None:
            def person(**kwargs) -> int:
                return self.cadre(village=village, ethnic=ethnic, ref_year=start.year, **kwargs)

            secretary = person(
                age=(38, 56), party=1.0, female=0.12, education=("20", "30", "30", "40", "60")
            )
            posts = [(secretary, codes.VILLAGE_SECRETARY, main_org)]
            if one_shoulder:
                posts.append((secretary, codes.VILLAGE_DIRECTOR, None))
            else:
                director = person(age=(32, 55), party=0.8)
                posts.append((director, codes.VILLAGE_DIRECTOR, None))
            deputy = person(age=(30, 50), party=1.0)
            posts += [
                (deputy, codes.VILLAGE_DEPUTY_SECRETARY, main_org),
                (deputy, codes.VILLAGE_DEPUTY_DIRECTOR, None),
            ]
            for _ in range(rnd.randint(2, 3)):
                member = person(age=(26, 55), party=1.0, female=0.45)
                posts += [
                    (member, codes.VILLAGE_PARTY_COMMITTEE_MEMBER, main_org),
                    (member, codes.VILLAGE_COMMITTEE_MEMBER, None),
                ]
            supervisor = person(age=(35, 60), party=1.0)
            posts.append((supervisor, codes.SUPERVISION_DIRECTOR, None))
            for _ in range(2):
                member = person(age=(28, 60), party=0.5)
                posts.append((member, codes.SUPERVISION_MEMBER, None))
            for holder, post, org in posts:
                self.appoint(holder, post, start, end, village=village, organization=org)
                if current:
                    self.current_cadres.append(holder)

        for position, year in enumerate(terms):
            start = term_dates[year]
            end = term_dates[terms[position + 1]] if position + 1 < len(terms) else None
            team(start, end, end is None)

        # first secretary and work team (行政村 only), sent by county and prefecture units
        if not community:
            units = self.rnd.sample(self.names["sending_units"], 3)
            start = dt.date(max(2021, self.first_year), rnd.randint(5, 8), rnd.randint(1, 28))
            for post, unit, age in (
                (codes.FIRST_SECRETARY, units[0], (28, 48)),
                (codes.TEAM_MEMBER, units[1], (25, 50)),
                (codes.TEAM_MEMBER, units[2], (25, 50)),
            ):
                person = self.cadre(
                    village=None,
                    ethnic=("01", 0.0),
                    age=age,
                    party=1.0 if post == codes.FIRST_SECRETARY else 0.8,
                    education=("20", "20", "30", "10"),
                    female=0.3,
                )
                self.appoint(
                    person,
                    post,
                    start,
                    None,
                    village=village,
                    sending_unit=unit,
                    sending_unit_post=rnd.choice(("四级主任科员", "科员", "副科长", "干部")),
                )

        # branch secretaries of the group branches and the group leaders
        for org, group in branches:
            person = self.cadre(
                village=village, ethnic=ethnic, age=(30, 62), party=1.0, ref_year=current_start.year
            )
            self.appoint(
                person, codes.ORG_SECRETARY, current_start, None, village=village, organization=org
            )
            if group and rnd.random() < 0.5:
                self.appoint(person, codes.GROUP_LEADER, current_start, None, village=village)
        if not community:
            for _ in range(max(1, groups // 2)):
                person = self.cadre(village=village, ethnic=ethnic, age=(30, 66), party=0.4)
                self.appoint(person, codes.GROUP_LEADER, current_start, None, village=village)
        for _ in range(rnd.randint(*self.scale.grid_workers)):
            person = self.cadre(village=village, ethnic=ethnic, age=(25, 55), party=0.5, female=0.5)
            self.appoint(person, codes.GRID_WORKER, dt.date(2022, 3, 1), None, village=village)
        for _ in range(rnd.randint(*self.scale.reserves)):
            person = self.cadre(
                village=village,
                ethnic=ethnic,
                age=(23, 34),
                party=0.6,
                education=("20", "30", "30", "40"),
                female=0.4,
            )
            self.appoint(person, codes.RESERVE_CADRE, current_start, None, village=village)
            if rnd.random() < 0.3:
                self.add(
                    Enrollment,
                    cadre=person,
                    level="30",
                    school="云南开放大学",
                    major=rnd.choice(("行政管理", "农业经济管理", "乡村治理")),
                    start_date=dt.date(LATEST_YEAR - 1, 9, 1),
                    end_date=None,
                    status=codes.ENROLLED,
                )
        if index == 0:
            self.plant_findings(village, ethnic, branches, current_start)

    def plant_findings(self, village, ethnic, branches, start) -> None:
        """The 提示性 findings every sample carries (see the module docstring)."""
        elder = self.cadre(village=village, ethnic=ethnic, age=(76, 76), party=0.0)
        self.appoint(elder, codes.GROUP_LEADER, start, None, village=village)
        no_phone = self.cadre(village=village, ethnic=ethnic, age=(30, 40), party=0.0, phone=False)
        self.appoint(no_phone, codes.GRID_WORKER, start, None, village=village)
        self.planted.update({"C13", "C15", "E05"})
        rows = self.rows[OrgYear]
        targets = [b for b, _ in branches]
        # a branch down to two full members, after years at three (O03, no change to explain)
        # and one grown past 50 over the years (O04)
        for row in rows:
            age = LATEST_YEAR - row["year"]
            if targets and row["organization"] == targets[0]:
                row.update(
                    members_full=2 if not age else 3,
                    members_probationary=0,
                    members_female=1,
                    members_minority=1,
                    members_35_under=0,
                    members_college=0,
                )
            if len(targets) > 1 and row["organization"] == targets[1]:
                row.update(
                    members_full=52 - 5 * age,
                    members_probationary=3,
                    members_female=14,
                    members_minority=30,
                    members_35_under=9,
                    members_college=6,
                )
        self.planted.update({"O03", "O04"} if len(targets) > 1 else set())
        if len(self.years) < 2:
            return
        latest = {r["organization"]: r for r in rows if r["year"] == LATEST_YEAR}
        # a third branch took in six members of a dissolved one (Y03)
        if len(targets) > 2:
            latest[targets[2]]["members_full"] += 6
            self.planted.add("Y03")
        # the village's own organization, 后进 until last year, rated 先进 now (Y10)
        main = next(r["id"] for r in self.rows[Organization] if r["village"] == village)
        for row in rows:
            if row["organization"] == main:
                advanced = row["year"] == LATEST_YEAR
                row.update(
                    rating=codes.ADVANCED if advanced else codes.BACKWARD,
                    weak_lax=False,
                    rectification="",
                    creation=codes.STANDARD if advanced else "",
                    creation_program="1" if advanced else "",
                    standardized=advanced,
                )
        # a branch's 工作经费 doubled by a county grant (Y06)
        funded = latest[targets[-1] if targets else main]
        funded["funds"] += Decimal(20_000)
        self.planted.update({"Y06", "Y10"})

    def economy(self, index: int, village: int) -> None:
        """A village's accounts, year by year: income moves by some per cent a year."""
        rnd = self.rnd
        # spread the villages over every band of 经营性收入 (in 元)
        band = (0, 30_000, 70_000, 200_000, 700_000, 1_300_000)[index % 6]
        if index % 6 == 0 and index:
            band = rnd.choice((0, 40_000))
        operating = band * rnd.uniform(0.9, 1.1)
        subsidy = rnd.randint(80_000, 200_000)
        other = rnd.randint(0, 20_000)
        for year in self.years:
            if year > self.first_year:
                operating *= rnd.uniform(0.97, 1.15)
                subsidy = int(subsidy * rnd.uniform(0.92, 1.08))
                other = max(0, other + rnd.randint(-2_000, 2_000))
            this_operating = int(operating)
            this_subsidy = subsidy
            if year == LATEST_YEAR and index == 0:
                this_subsidy += 400_000  # planted: a one-off 补助 (Y04)
            if year == LATEST_YEAR and index == 1:
                # planted: a project's first full year, its income no longer a 补助 (Y05)
                this_subsidy -= this_operating
                this_operating *= 2
            split = [rnd.random() for _ in range(3)]
            parts = [int(this_operating * s / sum(split)) for s in split]
            parts[0] += this_operating - sum(parts)
            assets = rnd.randint(800_000, 5_000_000)
            liabilities = int(assets * rnd.uniform(0.05, 0.4))
            if index == 0 and year == LATEST_YEAR:
                liabilities = assets + 120_000  # planted: 负债超过资产 (E05)
            self.add(
                CollectiveEconomy,
                village=village,
                year=year,
                operating_income=Decimal(parts[0]) + Decimal(rnd.randint(0, 99)) / 100,
                contract_income=Decimal(parts[1]),
                investment_income=Decimal(parts[2]),
                subsidy_income=Decimal(this_subsidy),
                other_income=Decimal(other),
                expenses=Decimal(int(subsidy * rnd.uniform(0.6, 1.1))),
                assets=Decimal(assets),
                liabilities=Decimal(liabilities),
                notes="",
            )
        if len(self.years) > 1 and index in (0, 1):
            self.planted.add("Y04" if index == 0 else "Y05")

    def township_organizations(self) -> None:
        rnd = self.rnd
        ethnic = ("07", 0.35)
        committee = self.add(
            Organization,
            name="中共本镇委员会",
            kind=codes.COMMITTEE,
            joint=False,
            temporary=False,
            field="21",
            unit="",
            parent=None,
            village=None,
            founded=dt.date(1984, 6, 1),
            dissolved=None,
            sort_order=1,
            notes="",
        )
        kinds = [
            ("机关党支部", "21"),
            ("中心学校党支部", "22"),
            ("卫生院党支部", "22"),
            ("供电所党支部", "23"),
            ("非公企业联合党支部", "24"),
            ("社会组织党支部", "25"),
            ("项目建设临时党支部", "90"),
        ]
        specs = [kinds[i % len(kinds)] for i in range(self.scale.township_orgs - 1)]
        orgs = [(committee, False)]
        for n, (label, field_code) in enumerate(specs, 1):
            suffix = "" if n <= len(kinds) else f"（{n // len(kinds) + 1}）"
            org = self.add(
                Organization,
                name=f"本镇{label}{suffix}",
                kind=codes.BRANCH,
                joint=label.startswith("非公"),
                temporary=label.startswith("项目"),
                field=field_code,
                unit="",
                parent=committee,
                village=None,
                founded=self.date_in(rnd.randint(1990, 2015)),
                dissolved=None,
                sort_order=n + 1,
                notes="",
            )
            orgs.append((org, True))
        for year in self.years:
            for org, members in orgs:
                self.org_year(
                    org, year, members, ethnic, codes.AVERAGE if org % 3 else codes.ADVANCED
                )
        for org, _ in orgs:
            person = self.cadre(
                village=None,
                ethnic=ethnic,
                age=(32, 55),
                party=1.0,
                education=("20", "20", "30"),
                ref_year=self.first_year,
            )
            self.appoint(
                person, codes.ORG_SECRETARY, dt.date(self.first_year, 1, 1), None, organization=org
            )

    def projects(self, villages: list[int]) -> None:
        rnd = self.rnd
        count = max(1, len(villages) // 2)
        for n in range(count):
            start_year = rnd.choice(self.years[: max(1, len(self.years) - 1)])
            shared = rnd.sample(villages, k=min(len(villages), rnd.choice((1, 1, 2, 3))))
            funds = {f: Decimal(0) for f in Project.FUND_FIELDS}
            funds["fund_central"] = Decimal(rnd.choice((0, 500_000, 1_000_000)))
            funds["fund_provincial"] = Decimal(rnd.choice((200_000, 500_000)))
            funds["fund_county"] = Decimal(rnd.randint(0, 20) * 10_000)
            funds["fund_self"] = Decimal(rnd.randint(0, 10) * 5_000)
            funds["fund_social"] = Decimal(rnd.choice((0, 0, 300_000)))
            project = self.add(
                Project,
                name=f"{rnd.choice(self.names['project_names'])}项目（{n + 1}号）",
                type=str(rnd.choice((1, 2, 3, 4, 5, 6, 7))),
                start_year=start_year,
                partner=rnd.choice(self.names["partners"]),
                notes="",
                **funds,
            )
            shares = [Decimal(100)] if len(shared) == 1 else None
            if len(shared) == 2:
                shares = [Decimal(60), Decimal(40)]
            elif len(shared) == 3:
                shares = [Decimal(40), Decimal(30), Decimal(30)]
            for village, share in zip(shared, shares):
                self.add(ProjectVillage, project=project, village=village, share=share)
            invested = sum(funds.values())
            for year in self.years:
                if year < start_year:
                    continue
                built = year > start_year
                income = int(float(invested) * rnd.uniform(0.04, 0.08)) if built else 0
                collective = int(income * 0.6)
                self.add(
                    ProjectYear,
                    project=project,
                    year=year,
                    status=codes.OPERATING if built else "2",
                    income=Decimal(income),
                    dividend_collective=Decimal(collective),
                    dividend_households=Decimal(int(income * 0.3)),
                    households_driven=rnd.randint(20, 160) if built else 0,
                )

    def trainings(self) -> None:
        rnd = self.rnd
        programs = (
            ("2", "冬春训"),
            ("1", "万名党员进党校"),
            ("3", "党的二十届全会精神主题培训"),
            ("5", "村（社区）干部轮训"),
        )
        for year in self.years:
            for program, title in programs:
                start = self.date_in(year, 1, 11)
                training = self.add(
                    Training,
                    year=year,
                    program=program,
                    title=f"{year}年{title}",
                    start_date=start,
                    end_date=start + dt.timedelta(days=rnd.randint(0, 4)),
                    sessions=rnd.randint(1, 4),
                    attendances=0,
                    organizer="镇党委",
                )
                attendees = []
                if program == "5" and year == LATEST_YEAR and self.current_cadres:
                    attendees = rnd.sample(self.current_cadres, k=min(len(self.current_cadres), 60))
                    for person in sorted(set(attendees)):
                        self.add(TrainingAttendance, training=training, cadre=person)
                row = self.rows[Training][-1]
                row["attendances"] = max(len(set(attendees)), rnd.randint(40, 400))

    def insert(self) -> None:
        for model in DATA_MODELS:  # parents first
            rows = self.rows.get(model, [])
            if model is StatYear:
                for row in rows:
                    row.pop("id")
            bulk_insert(model, rows)


def generate_sample(
    path: Path,
    *,
    scale: str = "township",
    seed: int = 1,
    township: str = "妥甸镇",
    code: str = "532322100000",
    prefecture: str = "楚雄彝族自治州",
    county: str = "双柏县",
) -> Summary:
    """Create a new sample township database at `path` (which must not exist yet)."""
    if scale not in SCALES:
        raise ValueError(scale)
    builder = _Builder(SCALES[scale], seed, code)
    builder.build()

    def fill() -> None:
        # fixed timestamps: the same seed gives the same database, to the byte of its dump
        insert_township(
            prefecture=prefecture,
            county=county,
            name=township,
            division_code=code,
            created_at=SAMPLE_TIME,
        )
        with database.atomic():
            # the sample's township committee carries the township's own name
            for row in builder.rows[Organization]:
                row["name"] = row["name"].replace("本镇", township)
            builder.insert()
            changelog.log("township", 1, "demo", note=f"生成示例数据（规模 {scale}，种子 {seed}）")

    if not is_empty_database(path):
        raise UserError(f"{path} 已经存在乡镇数据库，示例数据只能生成到新的数据文件夹。")
    build_database(path, fill)  # whole or not at all
    return Summary(
        township=township,
        years=builder.years,
        villages=len(builder.rows[Village]),
        organizations=len(builder.rows[Organization]),
        cadres=len(builder.rows[Cadre]),
        appointments=len(builder.rows[Appointment]),
        projects=len(builder.rows.get(Project, [])),
        planted=set(builder.planted),
    )


ROSTER_VILLAGES = tuple(f"第{n}村" for n in range(1, 41))


def sample_roster(
    path: Path, rows: int = 3000, seed: int = 5, villages: list[str] | None = None
) -> Path:
    """A cadre roster as a county would send it (header in row 1, valid ID numbers,
    villages ROSTER_VILLAGES — new ones, to confirm at import — or those given), for import
    tests and benchmarks."""
    from openpyxl import Workbook

    rnd = random.Random(seed)
    wb = Workbook()
    ws = wb.active
    ws.append(
        [
            "序号",
            "姓名",
            "身份证号",
            "性别",
            "民族",
            "出生年月",
            "学历",
            "政治面貌",
            "所在村",
            "现任职务",
            "联系电话",
        ]
    )
    used: set[str] = set()
    for n in range(1, rows + 1):
        while True:
            birth = dt.date(rnd.randint(1955, 2000), rnd.randint(1, 12), rnd.randint(1, 28))
            body = f"532322{birth:%Y%m%d}{rnd.randint(0, 999):03d}"
            if body not in used:
                used.add(body)
                break
        number = body + ric.calc_check_digit(body + "0")
        ws.append(
            [
                n,
                f"干部{n}",
                number,
                "男" if int(body[-1]) % 2 else "女",
                "彝族",
                f"{birth:%Y.%m}",
                "高中",
                "群众",
                villages[n % len(villages)] if villages else ROSTER_VILLAGES[n % 40],
                "网格员",
                f"138{n:08d}",
            ]
        )
        ws.cell(ws.max_row, 3).data_type = "s"
    wb.save(path)
    return path
