"""The structures a county leader looks at on the 概览 page, from one year's data."""

from __future__ import annotations

from db import codes
from db.year_data import YearData
from db.year_facts import (
    BANDS,
    age_on,
    band_counts,
    committee_members,
    economy_rows,
    first_secretary_villages,
    highest_education,
    one_shoulder_villages,
)

AGE_BANDS = (
    ("≤35", 0, 35),
    ("36-45", 36, 45),
    ("46-55", 46, 55),
    ("56-60", 56, 60),
    (">60", 61, 200),
)
BAND_SHORT = {
    "无经营性收入": "无",
    "5万元以下": "0-5",
    "5–10万元": "5-10",
    "10–50万元": "10-50",
    "50–100万元": "50-100",
    "100万元及以上": "100+",
}


def income_bands(data: YearData) -> list[tuple[str, int]]:
    """(short band label, villages) in band order; the labels are 万元 ranges."""
    counts = band_counts(data)
    return [(BAND_SHORT[label], counts[label]) for label, _, _ in BANDS]


def age_structure(data: YearData) -> list[tuple[str, int]]:
    ages = [age_on(c.birth_date, data.cutoff) for c in committee_members(data)]
    return [(label, sum(low <= a <= high for a in ages)) for label, low, high in AGE_BANDS]


def education_structure(data: YearData) -> list[tuple[str, int]]:
    college = codes.college_codes()
    levels = [highest_education(c) for c in committee_members(data)]
    return [
        ("大专+", sum(level in college for level in levels)),
        ("中专高中", sum(level in ("40", "60") for level in levels)),
        ("初中-", sum(level not in college and level not in ("40", "60") for level in levels)),
    ]


def coverage(data: YearData) -> list[tuple[str, int, int]]:
    """(what, villages that have it, villages) for first secretaries, 一肩挑 and the
    collective-economy figures of the year; 村 and 社区 alike, as in 表7."""
    villages = len(data.villages)
    return [
        ("第一书记", len(first_secretary_villages(data)), villages),
        ("一肩挑", len(one_shoulder_villages(data)), villages),
        ("集体经济", len(economy_rows(data)), villages),
    ]
