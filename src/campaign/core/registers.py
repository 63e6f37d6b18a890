"""The registers beside the data: indicators (what a figure measures), regions and sources."""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import yaml

from campaign.core.vocabulary import BASE_UNITS

RELATION_KINDS = frozenset(
    {
        "part_of",
        "ratio_to_last_year",
        "completion_of_target",
        "growth_on_last_year",
        "change_on_last_year",
        "above_target",
        "target_of",
        "coverage",
        "rate",
    }
)
_SLUG = re.compile(r"[a-z][a-z0-9-]*")


# libyaml's parser where PyYAML has it (the wheels do): the same documents, several times faster,
# which every `make reports` feels (the Makefile names the run through this package).
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load_yaml(path: Path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)


class RegisterError(ValueError):
    """A register file that contradicts itself or the data."""


@dataclass(frozen=True)
class Relation:
    kind: str
    of: str
    target: str | None = None
    channel: bool = False


@dataclass(frozen=True)
class Indicator:
    id: str
    task: str
    name_zh: str
    name_en: str
    unit: str
    relation: Relation | None = None
    comparable: bool = True
    description_zh: str = ""
    description_en: str = ""
    measure: str = ""  # stock | flow; empty for ratios and qualitative facts
    measure_in: dict[str, str] = field(default_factory=dict)
    nonnegative: bool = False  # a count, amount, level or rate: never below zero
    aliases: tuple[str, ...] = ()  # other names in reports, for `campaign extract` (forms: indicators.yml)

    @property
    def qualitative(self) -> bool:
        return self.unit == "none"

    def measure_for(self, region: str) -> str:
        """Stock or flow, as the source for ``region`` counts it."""
        return self.measure_in.get(region, self.measure)


@dataclass(frozen=True)
class Task:
    id: str
    number: int
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class Region:
    slug: str
    name_zh: str
    name_en: str
    level: str
    parent: str | None
    role: str = "comparison"  # campaign: it has a campaign report; comparison: other figures only

    @property
    def is_campaign_region(self) -> bool:
        return self.role == "campaign"


@dataclass(frozen=True)
class Source:
    id: str
    publisher: str
    publisher_zh: str
    title: str
    title_zh: str
    date: str
    address: str


@dataclass(frozen=True)
class CampaignAddition:
    region: str
    tasks: tuple[str, ...]
    name_zh: str
    name_en: str
    source_id: str = ""


@dataclass(frozen=True)
class Campaign:
    """The province's campaign and what regions added to it (data/campaign.yml)."""

    name_zh: str
    name_en: str
    run_by: str
    start: dict
    end: str
    tasks: tuple[str, ...]
    additions: tuple[CampaignAddition, ...] = ()

    def addition_of(self, region: str) -> CampaignAddition | None:
        return next((a for a in self.additions if a.region == region), None)

    def tasks_of(self, region: str) -> tuple[str, ...]:
        """The tasks a campaign region's run covers: the province's, plus its own additions."""
        addition = self.addition_of(region)
        return self.tasks + (addition.tasks if addition else ())


ROLES = frozenset({"campaign", "comparison"})
MEASURES = frozenset({"stock", "flow"})


@dataclass
class Registers:
    """All three registers of one data folder, loaded and cross-checked."""

    data_dir: Path
    tasks: dict[str, Task] = field(default_factory=dict)
    indicators: dict[str, Indicator] = field(default_factory=dict)
    regions: dict[str, Region] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    campaign: Campaign | None = None

    @classmethod
    def load(cls, data_dir: str | Path) -> Registers:
        data_dir = Path(data_dir)
        registers = cls(data_dir)
        registers._load_indicators(data_dir / "indicators.yml")
        registers._load_regions(data_dir / "regions.csv")
        registers._load_sources(data_dir / "sources.csv")
        registers._load_campaign(data_dir / "campaign.yml")
        return registers

    def _load_campaign(self, path: Path) -> None:
        document = _load_yaml(path)
        additions = tuple(
            CampaignAddition(a["region"], tuple(a["tasks"]), a["name_zh"], a["name_en"], a.get("source_id", ""))
            for a in document.get("additions", [])
        )
        self.campaign = Campaign(
            document["name_zh"],
            document["name_en"],
            document["run_by"],
            dict(document["start"]),
            str(document["end"]),
            tuple(document["tasks"]),
            additions,
        )
        unknown = [t for t in self.campaign.tasks + tuple(t for a in additions for t in a.tasks) if t not in self.tasks]
        if unknown:
            raise RegisterError(f"{path}: unknown task(s) {', '.join(unknown)} (see data/indicators.yml)")

    def _load_indicators(self, path: Path) -> None:
        document = _load_yaml(path)
        for task_id, task in document["tasks"].items():
            self.tasks[task_id] = Task(task_id, int(task["number"]), task["name_zh"], task["name_en"])
        for entry in document["indicators"]:
            relation = entry.get("relation")
            indicator = Indicator(
                id=entry["id"],
                task=entry["task"],
                name_zh=entry["name_zh"],
                name_en=entry["name_en"],
                unit=entry["unit"],
                relation=Relation(**relation) if relation else None,
                comparable=entry.get("comparable", True),
                description_zh=entry.get("description_zh", ""),
                description_en=entry.get("description_en", ""),
                measure=entry.get("measure", ""),
                measure_in=dict(entry.get("measure_in") or {}),
                nonnegative=entry.get("nonnegative", False),
                aliases=tuple(entry.get("aliases", ())),
            )
            problem = None
            if indicator.id in self.indicators:
                problem = "is listed twice"
            elif indicator.task not in self.tasks:
                problem = f"names unknown task {indicator.task!r}"
            elif indicator.unit not in BASE_UNITS | {"none"}:
                problem = f"has unknown unit {indicator.unit!r} (known: {', '.join(sorted(BASE_UNITS))}, none)"
            elif indicator.relation and indicator.relation.kind not in RELATION_KINDS:
                problem = f"has unknown relation {indicator.relation.kind!r}"
            elif not set([indicator.measure, *indicator.measure_in.values()]) <= MEASURES | {""}:
                problem = f"has unknown measure (known: {', '.join(sorted(MEASURES))})"
            elif not isinstance(indicator.nonnegative, bool):
                problem = f"has nonnegative: {indicator.nonnegative!r} (true or false)"
            elif indicator.nonnegative and indicator.qualitative:
                problem = "is qualitative (unit none) and cannot be nonnegative"
            if problem:
                raise RegisterError(f"{path}: indicator {indicator.id!r} {problem}")
            self.indicators[indicator.id] = indicator
        for indicator in self.indicators.values():
            if indicator.relation and indicator.relation.of not in self.indicators:
                raise RegisterError(
                    f"{path}: indicator {indicator.id!r} relates to unknown indicator {indicator.relation.of!r}"
                )

    def _load_regions(self, path: Path) -> None:
        for line, row in enumerate(_read_rows(path), start=2):
            if not _SLUG.fullmatch(row["slug"] or ""):
                # slugs name output folders and make targets: nothing a shell or make would read
                raise RegisterError(f"{path}, line {line}: slug {row['slug']!r} is not lower-case a-z, 0-9 and '-'")
            role = (row.get("role") or "comparison").strip()
            if role not in ROLES:
                raise RegisterError(
                    f"{path}, line {line}: region {row['slug']!r} has unknown role {role!r} (known: campaign, comparison)"
                )
            self.regions[row["slug"]] = Region(
                row["slug"], row["name_zh"], row["name_en"], row["level"], row["parent"] or None, role
            )

    def _load_sources(self, path: Path) -> None:
        for row in _read_rows(path):
            self.sources[row["id"]] = Source(
                row["id"],
                row["publisher"],
                row["publisher_zh"],
                row["title"],
                row["title_zh"],
                row["date"],
                row["address"],
            )

    # Look-ups -----------------------------------------------------------------------------

    @cached_property
    def region_by_name(self) -> dict[str, Region]:
        """Every accepted spelling of a region (slug, Chinese name, English name) -> region."""
        names: dict[str, Region] = {}
        for region in self.regions.values():
            for name in (region.slug, region.name_zh, region.name_en, region.name_en.lower()):
                names[name] = region
        return names

    def region(self, name: str) -> Region:
        """The region called ``name`` (slug, Chinese or English); the error lists what is valid."""
        try:
            return self.region_by_name[str(name).strip()]
        except KeyError:
            valid = ", ".join(f"{r.name_zh} ({r.slug})" for r in self.regions.values())
            raise ValueError(f"unknown region {name!r}; valid regions: {valid}") from None

    def indicators_of_task(self, task: str) -> list[Indicator]:
        return [i for i in self.indicators.values() if i.task == task]

    def parts_of(self, whole: str, channels_only: bool = False) -> list[Indicator]:
        if not hasattr(self, "_parts"):  # the checks ask for every region and period: computed once
            self._parts: dict[str, list[Indicator]] = {}
            for i in self.indicators.values():
                if i.relation and i.relation.kind == "part_of":
                    self._parts.setdefault(i.relation.of, []).append(i)
        return [i for i in self._parts.get(whole, []) if i.relation.channel or not channels_only]

    def campaign_tasks(self) -> list[Task]:
        """Every task of the campaign and its additions in printed order (context indicators excluded)."""
        return sorted((t for t in self.tasks.values() if t.number > 0), key=lambda t: t.number)

    def tasks_of_region(self, region: str) -> list[Task]:
        """The tasks a campaign region's run covers, in printed order."""
        own = set(self.campaign.tasks_of(region)) if self.campaign else {t.id for t in self.campaign_tasks()}
        return [t for t in self.campaign_tasks() if t.id in own]


def _read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def parse_period_end(text: str) -> dt.date:
    """An ISO date (YYYY-MM-DD); the error says what was given and what is expected."""
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError:
        raise ValueError(f"malformed period end {text!r}: expected a date as YYYY-MM-DD, e.g. 2022-06-30") from None
