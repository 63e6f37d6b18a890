"""The registers beside the data: indicators (what a figure measures), regions and sources."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import yaml

from .vocabulary import BASE_UNITS

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
    aliases: tuple[str, ...] = ()  # other names in reports, for `campaign extract` (forms: indicators.yml)

    @property
    def qualitative(self) -> bool:
        return self.unit == "none"

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en


@dataclass(frozen=True)
class Task:
    id: str
    number: int
    name_zh: str
    name_en: str

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en


@dataclass(frozen=True)
class Region:
    slug: str
    name_zh: str
    name_en: str
    level: str
    parent: str | None

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en


@dataclass(frozen=True)
class Source:
    id: str
    publisher: str
    publisher_zh: str
    title: str
    title_zh: str
    date: str
    address: str

    def title_in(self, lang: str) -> str:
        return self.title_zh if lang == "zh" else self.title

    def publisher_in(self, lang: str) -> str:
        return self.publisher_zh if lang == "zh" else self.publisher


@dataclass
class Registers:
    """All three registers of one data folder, loaded and cross-checked."""

    data_dir: Path
    tasks: dict[str, Task] = field(default_factory=dict)
    indicators: dict[str, Indicator] = field(default_factory=dict)
    regions: dict[str, Region] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)

    @classmethod
    def load(cls, data_dir: str | Path) -> Registers:
        data_dir = Path(data_dir)
        registers = cls(data_dir)
        registers._load_indicators(data_dir / "indicators.yml")
        registers._load_regions(data_dir / "regions.csv")
        registers._load_sources(data_dir / "sources.csv")
        return registers

    def _load_indicators(self, path: Path) -> None:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
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
            if problem:
                raise RegisterError(f"{path}: indicator {indicator.id!r} {problem}")
            self.indicators[indicator.id] = indicator
        for indicator in self.indicators.values():
            if indicator.relation and indicator.relation.of not in self.indicators:
                raise RegisterError(
                    f"{path}: indicator {indicator.id!r} relates to unknown indicator {indicator.relation.of!r}"
                )

    def _load_regions(self, path: Path) -> None:
        for row in _read_rows(path):
            self.regions[row["slug"]] = Region(
                row["slug"], row["name_zh"], row["name_en"], row["level"], row["parent"] or None
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
        return [
            i
            for i in self.indicators.values()
            if i.relation
            and i.relation.kind == "part_of"
            and i.relation.of == whole
            and (i.relation.channel or not channels_only)
        ]

    def campaign_tasks(self) -> list[Task]:
        """The six tasks of the campaign in their printed order (context indicators excluded)."""
        return sorted((t for t in self.tasks.values() if t.number > 0), key=lambda t: t.number)


def _read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def parse_period_end(text: str) -> dt.date:
    """An ISO date (YYYY-MM-DD); the error says what was given and what is expected."""
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError:
        raise ValueError(f"malformed period end {text!r}: expected a date as YYYY-MM-DD, e.g. 2022-06-30") from None
