"""The campaign summary of a run: title, key figures, quality findings and sources, in its language."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import analysis
from .report import RunContext

# Figures of the analysis notebooks the summary shows, in order, where the run has them.
SUMMARY_FIGURES = (
    "employment-this-year-vs-last-year",
    "microcredit-target-completion",
    "sales-channel-composition",
)


def title(ctx: RunContext) -> str:
    return ctx.t(
        f'# {ctx.region_name()}: the "5+1 key tasks" 100-day campaign, results to {ctx.run.period_end}',
        f"# {ctx.region_name()}“5+1重点任务百日攻坚”专项行动：截至{ctx.run.period_end}的成效",
    )


def lead(ctx: RunContext) -> str:
    statuses = analysis.task_statuses(ctx)
    counted = {s: sum(1 for row in statuses if row.status == s) for s in analysis.STATUSES}
    parts_en = [f"{n} {s}" for s, n in counted.items() if n]
    parts_zh = [f"{analysis.STATUS_ZH[s]}{n}项" for s, n in counted.items() if n]
    return ctx.t(
        f"This summary covers the six tasks of the campaign for {ctx.region_name()} ({ctx.run.region.name_zh}) "
        f"as reported for the period ending {ctx.run.period_end}. Of the {len(statuses)} tasks: "
        + ", ".join(parts_en)
        + ". Every figure below is computed from the processed data of this run; the "
        "notebooks 10–40 give the detail.",
        f"本摘要涵盖{ctx.region_name()}“5+1”专项行动的六项任务，数据截至{ctx.run.period_end}。六项任务中："
        + "，".join(parts_zh)
        + "。以下数字均由本次运行的处理数据计算得出，详见分析笔记本10–40。",
    )


def key_findings(ctx: RunContext, loan_ceiling: float = 50_000.0) -> str:
    """The first finding of each analysis area that the run reports, as one list."""
    sections = [
        (ctx.t("Employment", "务工就业"), analysis.employment_findings(ctx, analysis.employment_outcome(ctx))),
        (ctx.t("Projects and funds", "项目与资金"), analysis.projects_findings(ctx)),
        (ctx.t("Microcredit", "小额信贷"), analysis.microcredit_findings(ctx, loan_ceiling)),
        (ctx.t("Consumption assistance", "消费帮扶"), analysis.sales_findings(ctx, analysis.sales_outcome(ctx))),
        (ctx.t("Training and publicity", "培训宣传"), analysis.training_findings(ctx)),
    ]
    lines = []
    for heading, text in sections:
        bullets = [line[2:] for line in text.splitlines() if line.startswith("- ")]
        if not bullets:
            continue  # not reported: the status table already says so
        keep = (
            bullets[:3]
            if heading in (ctx.t("Employment", "务工就业"), ctx.t("Microcredit", "小额信贷"))
            else bullets[:2]
        )
        lines.append(f"- **{heading}**{ctx.t('. ', '：')}" + " ".join(keep))
    return "\n".join(lines) if lines else ctx.t("No figures were reported for this run.", "本次运行没有报告数据。")


def figure_paths(ctx: RunContext) -> list[Path]:
    """The run's saved figures that the summary shows (those the analysis notebooks produced)."""
    return [
        ctx.run.figures_dir / f"{name}.png"
        for name in SUMMARY_FIGURES
        if (ctx.run.figures_dir / f"{name}.png").exists()
    ]


def quality_summary(ctx: RunContext) -> str:
    """What the consistency checks found for this run's region and period (and for the raw files)."""
    quality = ctx.quality
    own = quality[(quality["region"] == ctx.run.region.slug) & (quality["period_end"] == ctx.run.period_end)]
    files = quality[quality["rule"] == "raw_schema"]
    counts = own["status"].value_counts()
    problems = own[own["status"] != "pass"]
    detail_column = "detail_zh" if ctx.lang == "zh" else "detail"
    lines = [
        ctx.t(
            f"The raw files ({len(files)}) passed the schema and unit checks. {len(own)} consistency checks ran on "
            f"this run's figures: {counts.get('pass', 0)} passed, {counts.get('warn', 0)} warned, "
            f"{counts.get('fail', 0)} failed.",
            f"原始数据文件（{len(files)}个）通过了数据结构和计量单位检查。本次数据共运行{len(own)}项一致性检查："
            f"通过{counts.get('pass', 0)}项，警告{counts.get('warn', 0)}项，未通过{counts.get('fail', 0)}项。",
        )
    ]
    for row in problems.itertuples(index=False):
        lines.append(f"- {row.status}: {row.rule} ({row.subject}): {getattr(row, detail_column)}")
    checked = sorted(set(own["rule"]))
    if checked:
        names = {
            "parts_add_up": ("channels add up to their total", "分项之和等于总数"),
            "part_within_whole": ("no part exceeds its whole", "分项不超过总数"),
            "average_loan_within_ceiling": ("average loan within the per-household ceiling", "户均贷款不超过上限"),
            "share_within_0_100": ("shares and coverage within 0–100%", "比例与覆盖率在0–100%之间"),
        }
        lines.append(
            ctx.t("Rules checked: ", "检查规则：")
            + ("; " if ctx.lang == "en" else "；").join(
                ctx.t(*names[rule]) if rule in names else rule for rule in checked
            )
            + ctx.t(".", "。")
        )
    return "\n\n".join(lines)


def sources_table(ctx: RunContext) -> pd.DataFrame:
    """Every source behind the run's own figures and the benchmarks its notebooks compare with."""
    used = set(ctx.figures.rows["source_id"])
    benchmark_regions = set(ctx.observations["region"]) - {ctx.run.region.slug}
    used |= set(ctx.observations.loc[ctx.observations["region"].isin(benchmark_regions), "source_id"])
    rows = []
    for source_id in sorted(used, key=lambda s: (s not in set(ctx.figures.rows["source_id"]), s)):
        source = ctx.registers.sources[source_id]
        address = source.address
        if not address.startswith("http"):
            address = ctx.t(
                "not recorded (the project's copy of the article carries none)", "未记录（本项目所存副本无网址）"
            )
        rows.append([source.publisher_in(ctx.lang), source.title_in(ctx.lang), source.date, address])
    return pd.DataFrame(rows, columns=ctx.t("publisher|title|date|address", "发布者|标题|日期|网址").split("|"))
