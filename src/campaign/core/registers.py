"""The registers beside the data: indicators (what a figure measures), regions and sources."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path

from campaign.core.register_files import RegisterError

__all__ = ["RegisterError", "Registers", "parse_period_end"]

RELATION_KINDS = (
    "part_of",
    "ratio_to_last_year",
    "completion_of_target",
    "growth_on_last_year",
    "change_on_last_year",
    "above_target",
    "target_of",
    "coverage",
    "rate",
    "rank_of",
)
RANK_SCOPES = ("country", "province")  # rank_of: among the provinces of the country, the cities of the province
LEVELS = ("country", "province", "prefecture", "county")
ROLES = ("campaign", "comparison")
MEASURES = ("stock", "flow")
SLUG = r"[a-z][a-z0-9-]*"  # slugs name output folders and make targets: nothing a shell or make would read


@dataclass(frozen=True)
class Relation:
    kind: str
    of: str
    target: str | None = None
    channel: bool = False
    among: str | None = None  # rank_of: the places ranked (RANK_SCOPES)


@dataclass(frozen=True)
class Population:
    """Whom a figure counts (脱贫户和监测户), named in each language like a register entry."""

    name_en: str
    name_zh: str


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
    # whom a source's figure counts, where it says (region slug -> {"en": ..., "zh": ...})
    population_in: dict[str, Population] = field(default_factory=dict)
    nonnegative: bool = False  # a count, amount, level or rate: never below zero
    aliases: tuple[str, ...] = ()  # other names in reports, for `campaign extract` (forms: indicators.yml)

    @property
    def qualitative(self) -> bool:
        return self.unit == "none"

    def population_for(self, region: str) -> Population | None:
        """Whom the figure of ``region``'s source counts, where the source says."""
        return self.population_in.get(region)

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
    # per task: {"practices": [...], "expected": [...]} (data/campaign.yml, reporting)
    reporting: dict = field(default_factory=dict)
    source_id: str = ""  # the source of the campaign's name, dates and tasks
    glossary: tuple[dict, ...] = ()  # terms: {"zh", "en", "meaning_zh", "meaning_en", "indicators"}
    short_names: dict = field(default_factory=dict)  # task -> {"en", "zh"}: a task named in a list

    def practices_of(self, task: str) -> tuple[str, ...]:
        """The qualitative indicators that say what was done for ``task`` (主要做法)."""
        return tuple(self.reporting.get(task, {}).get("practices", ()))

    def expected_of(self, task: str) -> tuple[str, ...]:
        """The figures a report on ``task`` is expected to give; those missing are its data gaps."""
        return tuple(self.reporting.get(task, {}).get("expected", ()))

    def addition_of(self, region: str) -> CampaignAddition | None:
        return next((a for a in self.additions if a.region == region), None)

    def tasks_of(self, region: str) -> tuple[str, ...]:
        """The tasks a campaign region's run covers: the province's, plus its own additions."""
        addition = self.addition_of(region)
        return self.tasks + (addition.tasks if addition else ())


@dataclass
class Registers:
    """All four registers of one data folder, validated as a whole (``load``)."""

    data_dir: Path
    tasks: dict[str, Task] = field(default_factory=dict)
    indicators: dict[str, Indicator] = field(default_factory=dict)
    regions: dict[str, Region] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    campaign: Campaign | None = None

    @classmethod
    def load(cls, data_dir: str | Path) -> Registers:
        """The registers of ``data_dir``, each checked against its declared schema and all of them
        against each other before any is used (campaign.core.register_schemas); RegisterError
        lists every problem with its file, line and field."""
        from campaign.core.register_schemas import validate_registers

        data_dir = Path(data_dir)
        valid = validate_registers(data_dir, data_dir.parent)
        registers = cls(data_dir)
        for task_id, task in valid.indicators.tasks.items():
            registers.tasks[task_id] = Task(task_id, task.number, task.name_zh, task.name_en)
        for entry in valid.indicators.indicators:
            relation = entry.relation
            registers.indicators[entry.id] = Indicator(
                id=entry.id,
                task=entry.task,
                name_zh=entry.name_zh,
                name_en=entry.name_en,
                unit=entry.unit,
                relation=Relation(**relation.model_dump()) if relation else None,
                comparable=entry.comparable,
                description_zh=entry.description_zh,
                description_en=entry.description_en,
                measure=entry.measure,
                measure_in=dict(entry.measure_in),
                population_in={slug: Population(p.en, p.zh) for slug, p in entry.population_in.items()},
                nonnegative=entry.nonnegative,
                aliases=tuple(entry.aliases),
            )
        for row in valid.regions:
            registers.regions[row["slug"]] = Region(
                row["slug"], row["name_zh"], row["name_en"], row["level"], row["parent"] or None, row["role"]
            )
        for row in valid.sources:
            registers.sources[row["id"]] = Source(**row)
        campaign = valid.campaign
        registers.campaign = Campaign(
            campaign.name_zh,
            campaign.name_en,
            campaign.run_by,
            campaign.start.model_dump(),
            campaign.end.isoformat(),
            tuple(campaign.tasks),
            tuple(
                CampaignAddition(a.region, tuple(a.tasks), a.name_zh, a.name_en, a.source_id)
                for a in campaign.additions
            ),
            {task: r.model_dump() for task, r in campaign.reporting.items()},
            campaign.source_id,
            tuple(term.model_dump() for term in campaign.glossary),
            {task: name.model_dump() for task, name in campaign.short_names.items()},
        )
        return registers

    def snapshot(self) -> dict:
        """The registers as plain data (JSON), for the run index (campaign.dataset.runindex)."""
        return {
            "tasks": [asdict(t) for t in self.tasks.values()],
            "indicators": [asdict(i) for i in self.indicators.values()],
            "regions": [asdict(r) for r in self.regions.values()],
            "sources": [asdict(s) for s in self.sources.values()],
            "campaign": asdict(self.campaign) if self.campaign else None,
        }

    @classmethod
    def from_snapshot(cls, data_dir: str | Path, snapshot: dict) -> Registers:
        """Registers that ``load`` validated and ``snapshot`` wrote, as they were (not validated again)."""
        registers = cls(Path(data_dir))
        for t in snapshot["tasks"]:
            registers.tasks[t["id"]] = Task(**t)
        for i in snapshot["indicators"]:
            relation = Relation(**i["relation"]) if i["relation"] else None
            population = {slug: Population(**p) for slug, p in i.get("population_in", {}).items()}
            registers.indicators[i["id"]] = Indicator(
                **{**i, "relation": relation, "aliases": tuple(i["aliases"]), "population_in": population}
            )
        for r in snapshot["regions"]:
            registers.regions[r["slug"]] = Region(**r)
        for s in snapshot["sources"]:
            registers.sources[s["id"]] = Source(**s)
        if c := snapshot["campaign"]:
            additions = tuple(CampaignAddition(**{**a, "tasks": tuple(a["tasks"])}) for a in c["additions"])
            c = {**c, "tasks": tuple(c["tasks"]), "additions": additions, "glossary": tuple(c.get("glossary", ()))}
            registers.campaign = Campaign(**c)
        return registers

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


def parse_period_end(text: str) -> dt.date:
    """An ISO date (YYYY-MM-DD); the error says what was given and what is expected."""
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError:
        raise ValueError(f"malformed period end {text!r}: expected a date as YYYY-MM-DD, e.g. 2022-06-30") from None
