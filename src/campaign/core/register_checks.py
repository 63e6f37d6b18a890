"""The registers checked against each other, once each is valid against its own schema: every
problem with its file, line and field."""

from __future__ import annotations

from campaign.core.register_files import CsvRegister, RegisterProblem, YamlRegister, field_name
from campaign.core.registers import LEVELS
from campaign.core.vocabulary import BASE_UNITS, RANK_UNIT


def _indicator_problems(indicators, file: YamlRegister, slugs: set[str]) -> list[RegisterProblem]:
    problems: list[RegisterProblem] = []

    def problem(location: tuple, text, reason: str) -> None:
        problems.append(RegisterProblem(file.path, file.line_of(location), field_name(location), text, reason))

    numbers: dict[int, str] = {}
    for task_id, task in indicators.tasks.items():
        if task.number in numbers:
            problem(("tasks", task_id, "number"), task.number, f"the same number as task {numbers[task.number]!r}")
        numbers.setdefault(task.number, task_id)
    ids = {indicator.id for indicator in indicators.indicators}
    first: dict[str, int] = {}
    for index, indicator in enumerate(indicators.indicators):
        at = ("indicators", index)
        if indicator.id in first:
            line = file.line_of(("indicators", first[indicator.id]))
            problem((*at, "id"), indicator.id, f"the indicator is listed twice (also on line {line})")
        first.setdefault(indicator.id, index)
        if indicator.task not in indicators.tasks:
            problem((*at, "task"), indicator.task, f"unknown task (tasks: {', '.join(indicators.tasks)})")
        if indicator.unit not in BASE_UNITS | {"none"}:
            problem((*at, "unit"), indicator.unit, f"unknown unit (known: {', '.join(sorted(BASE_UNITS))}, none)")
        if indicator.relation and indicator.relation.of not in ids:
            problem((*at, "relation", "of"), indicator.relation.of, "relates to an unknown indicator")
        if indicator.relation and (indicator.relation.kind == "rank_of") != (indicator.unit == RANK_UNIT):
            problem(
                (*at, "unit"), indicator.unit, f"a rank (relation rank_of) and only a rank has the unit {RANK_UNIT}"
            )
        if indicator.relation and (indicator.relation.kind == "rank_of") != (indicator.relation.among is not None):
            problem(
                (*at, "relation", "among"),
                indicator.relation.among,
                "a rank_of relation, and only one, names the places ranked (among)",
            )
        if indicator.nonnegative and indicator.unit == "none":
            problem((*at, "nonnegative"), True, "a qualitative indicator (unit none) has no figure to be nonnegative")
        for by_region in ("measure_in", "population_in"):
            for region in getattr(indicator, by_region):
                if region not in slugs:
                    problem((*at, by_region, region), region, "unknown region slug (see data/regions.csv)")
    return problems


def _region_problems(regions: list[dict[str, str]], file: CsvRegister) -> list[RegisterProblem]:
    """Parents are regions; every spelling (slug, Chinese, English, English in lower case) names
    one region only, so that a name in a raw file can never mean two places."""
    problems = []
    slugs = {row["slug"] for row in regions}
    levels = {row["slug"]: row["level"] for row in regions}  # a parent one level up or more: no cycle
    spelt: dict[str, tuple[str, int]] = {}
    for row, line in zip(regions, file.lines, strict=True):
        if row["parent"] and row["parent"] not in slugs:
            problems.append(RegisterProblem(file.path, line, "parent", row["parent"], "unknown region slug"))
        elif row["parent"] and not _above(levels.get(row["parent"], ""), row["level"]):
            reason = f"a {levels[row['parent']] or 'region without a level'} cannot hold a {row['level'] or 'region'}"
            problems.append(
                RegisterProblem(file.path, line, "parent", row["parent"], reason + " (a parent is a higher level)")
            )
        for field, name in (("slug", row["slug"]), ("name_zh", row["name_zh"]), ("name_en", row["name_en"])):
            for spelling in {name, name.lower()} if field == "name_en" else {name}:
                other = spelt.get(spelling)
                if other and other[0] != row["slug"]:
                    reason = f"also names region {other[0]!r} (line {other[1]}): a name must mean one region"
                    problems.append(RegisterProblem(file.path, line, field, name, reason))
                spelt.setdefault(spelling, (row["slug"], line))
    return problems


def _above(upper: str, lower: str) -> bool:
    return upper in LEVELS and lower in LEVELS and LEVELS.index(upper) < LEVELS.index(lower)


def _campaign_problems(campaign, file: YamlRegister, tasks, slugs, source_ids) -> list[RegisterProblem]:
    problems = []

    def problem(location: tuple, text, reason: str) -> None:
        problems.append(RegisterProblem(file.path, file.line_of(location), field_name(location), text, reason))

    if campaign.run_by not in slugs:
        problem(("run_by",), campaign.run_by, "unknown region slug (see data/regions.csv)")
    for index, task in enumerate(campaign.tasks):
        if task not in tasks:
            problem(("tasks", index), task, "unknown task (see data/indicators.yml)")
    for index, addition in enumerate(campaign.additions):
        if addition.region not in slugs:
            problem(("additions", index, "region"), addition.region, "unknown region slug (see data/regions.csv)")
        for number, task in enumerate(addition.tasks):
            if task not in tasks:
                problem(("additions", index, "tasks", number), task, "unknown task (see data/indicators.yml)")
        if addition.source_id and addition.source_id not in source_ids:
            problem(("additions", index, "source_id"), addition.source_id, "unknown source (see data/sources.csv)")
    if campaign.source_id and campaign.source_id not in source_ids:
        problem(("source_id",), campaign.source_id, "unknown source (see data/sources.csv)")
    return problems


def _reporting_problems(campaign, file: YamlRegister, indicators) -> list[RegisterProblem]:
    """Every indicator the campaign's reporting names exists; a practice is qualitative and of its task."""
    problems = []
    known = {indicator.id: indicator for indicator in indicators.indicators}
    for task, reporting in campaign.reporting.items():
        if task not in indicators.tasks:
            line = file.line_of(("reporting", task))
            problems.append(RegisterProblem(file.path, line, f"reporting.{task}", task, "unknown task"))
            continue
        for kind in ("practices", "expected"):
            for index, indicator_id in enumerate(getattr(reporting, kind)):
                location = ("reporting", task, kind, index)
                indicator = known.get(indicator_id)
                reason = None
                if indicator is None:
                    reason = "unknown indicator (see data/indicators.yml)"
                elif kind == "practices" and (indicator.unit != "none" or indicator.task != task):
                    reason = f"a practice is a qualitative indicator (unit none) of task {task!r}"
                if reason:
                    problems.append(
                        RegisterProblem(file.path, file.line_of(location), field_name(location), indicator_id, reason)
                    )
    for task in campaign.short_names:
        if task not in indicators.tasks:
            line = file.line_of(("short_names", task))
            problems.append(RegisterProblem(file.path, line, f"short_names.{task}", task, "unknown task"))
    for number, term in enumerate(campaign.glossary):
        for index, indicator_id in enumerate(term.indicators):
            if indicator_id not in known:
                location = ("glossary", number, "indicators", index)
                reason = "unknown indicator (see data/indicators.yml)"
                problems.append(
                    RegisterProblem(file.path, file.line_of(location), field_name(location), indicator_id, reason)
                )
    return problems


def cross_check(indicators, indicators_file, campaign, campaign_file, regions, regions_file, sources):
    slugs = {row["slug"] for row in regions}
    return [
        *_indicator_problems(indicators, indicators_file, slugs),
        *_region_problems(regions, regions_file),
        *_campaign_problems(campaign, campaign_file, indicators.tasks, slugs, {row["id"] for row in sources}),
        *_reporting_problems(campaign, campaign_file, indicators),
    ]
