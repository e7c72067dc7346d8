"""The rule modules; importing this package registers every rule."""

from desktop.checks.rules import (  # noqa: F401
    cadres,
    dates,
    economy,
    organizations,
    projects,
    township,
    trainings,
    villages,
    year_over_year,
)
