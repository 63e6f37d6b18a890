"""The questions of the analysis notebooks, answered from a run's data: numbers, figures and prose.

Every sentence that states a figure is written here from the data, in the run's language, so a
run for another region or period can never carry a stale number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd
from matplotlib.figure import Figure

from . import plots
from .metrics import Estimate
from .report import RunContext

# Status words of the summary table.
STATUSES = ("met", "on track", "behind", "qualitative", "not reported")
STATUS_ZH = {"met": "已完成", "on track": "进度正常", "behind": "落后", "qualitative": "定性", "not reported": "未报告"}


def bullet_list(lines: list[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)


def not_reported_note(ctx: RunContext, topic_en: str, topic_zh: str) -> str:
    return ctx.t(
        f"**Not reported:** {ctx.region_name()} gave no figures on {topic_en} for the period ending "
        f"{ctx.run.period_end}, so nothing is drawn for it.",
        f"**未报告**：{ctx.region_name()}截至{ctx.run.period_end}未报告{topic_zh}数据，本节不作图。",
    )


def figures_table(ctx: RunContext, indicators: list[str]) -> pd.DataFrame:
    """The run's figures for some indicators: name, as printed, value in base units, source."""
    rows = []
    for indicator in indicators:
        if not ctx.figures.reported(indicator):
            rows.append([ctx.label(indicator), "", ctx.not_reported, ""])
            continue
        row = ctx.figures.rows.loc[indicator]
        unit = ctx.registers.indicators[indicator].unit
        fact = ctx.registers.indicators[indicator].description_zh if ctx.lang == "zh" else str(row["note"])
        shown = (
            ctx.value_of(indicator) if unit != "none" else ctx.t("qualitative: ", "定性：") + (fact or str(row["note"]))
        )
        locator = str(row["locator"])
        if ctx.lang == "zh":
            locator = re.sub(r"^paragraph (\d+)$", r"第\1段", locator)
        rows.append(
            [
                ctx.label(indicator),
                row["printed"],
                shown,
                f"{row['source_id']}，{locator}" if ctx.lang == "zh" else f"{row['source_id']}, {locator}",
            ]
        )
    columns = ctx.t("indicator|as printed|value|source", "指标|原文|数值|来源").split("|")
    return pd.DataFrame(rows, columns=columns)


# 10 employment ---------------------------------------------------------------------------

EMPLOYMENT_NEEDS = ("employed_labourers", "employed_labourers_vs_last_year")


@dataclass(frozen=True)
class EmploymentOutcome:
    total: Estimate
    total_last: Estimate
    total_growth: Estimate
    out: Estimate | None
    out_last: Estimate | None
    out_growth: Estimate | None
    inside: Estimate | None
    inside_last: Estimate | None
    inside_growth: Estimate | None
    out_share: Estimate | None
    out_share_last: Estimate | None

    @property
    def total_rose(self) -> bool:
        """'Total steady with a rise': above last year's level across the whole interval."""
        return self.total_growth.lower > 0

    @property
    def out_rose(self) -> bool | None:
        return None if self.out_growth is None else self.out_growth.lower > 0


def employment_outcome(ctx: RunContext) -> EmploymentOutcome | None:
    if not ctx.has(*EMPLOYMENT_NEEDS):
        return None
    d = ctx.derived
    return EmploymentOutcome(
        total=ctx.figures["employed_labourers"],
        total_last=d["employed_labourers_last_year"],
        total_growth=d["employed_labourers_growth"],
        out=ctx.figures.get("employed_out_of_province"),
        out_last=d.get("employed_out_of_province_last_year"),
        out_growth=d.get("employed_out_of_province_growth"),
        inside=d.get("employed_in_province"),
        inside_last=d.get("employed_in_province_last_year"),
        inside_growth=d.get("employed_in_province_growth"),
        out_share=d.get("employed_out_of_province_share"),
        out_share_last=d.get("employed_out_of_province_share_last_year"),
    )


def employment_table(ctx: RunContext, outcome: EmploymentOutcome) -> pd.DataFrame:
    rows = [(ctx.t("Total", "合计"), outcome.total, outcome.total_last, outcome.total_growth)]
    if outcome.inside is not None and outcome.inside_last is not None:
        parent = ctx.run.region.parent
        province = ctx.region_name(parent) if parent else ctx.t("the province", "本省")
        rows.append(
            (
                ctx.t(f"Inside {province} (derived)", "省内（推算）"),
                outcome.inside,
                outcome.inside_last,
                outcome.inside_growth,
            )
        )
    if outcome.out is not None and outcome.out_last is not None:
        rows.append((ctx.t("Outside the province", "省外"), outcome.out, outcome.out_last, outcome.out_growth))
    columns = ctx.t("group|this year|last year (implied, range)|growth", "类别|今年|上年（推算，区间）|增长").split("|")
    return pd.DataFrame(
        [
            [name, ctx.fmt(now.value, "persons"), ctx.fmt_range(last, "persons"), ctx.pct(growth.value, signed=True)]
            for name, now, last, growth in rows
        ],
        columns=columns,
    )


def employment_figure(ctx: RunContext, outcome: EmploymentOutcome) -> Figure:
    groups = [(ctx.t("Total", "合计"), outcome.total, outcome.total_last)]
    if outcome.inside is not None and outcome.inside_last is not None:
        groups.append((ctx.t("Inside the province", "省内"), outcome.inside, outcome.inside_last))
    if outcome.out is not None and outcome.out_last is not None:
        groups.append((ctx.t("Outside the province", "省外"), outcome.out, outcome.out_last))
    return plots.this_year_against_last(
        groups,
        labels=(
            ctx.t(f"as of {ctx.run.period_end}", f"截至{ctx.run.period_end}"),
            ctx.t("last year (implied from the printed ratio)", "上年（按占上年度比例推算）"),
        ),
        value_format=lambda v: ctx.fmt(v, "persons"),
        title=ctx.t(
            f"{ctx.region_name()}: labourers from poverty-alleviated households in work",
            f"{ctx.region_name()}：脱贫劳动力务工人数",
        ),
        caption=ctx.t(
            "Last year's levels are implied: this year's figure divided by the printed ratio to last year; "
            "error bars show the range the printed precision allows. The in-province figures are the total "
            "minus out-of-province.",
            "上年水平为推算值：今年人数除以“占上年度”比例；误差线表示原文精度允许的区间。省内人数为总数减省外人数。",
        ),
    )


def employment_benchmark_figure(ctx: RunContext, outcome: EmploymentOutcome) -> Figure | None:
    bars = [
        plots.Bar(
            ctx.t(f"{ctx.region_name()} (to {ctx.run.period_end})", f"{ctx.region_name()}（截至{ctx.run.period_end}）"),
            outcome.total_growth,
        )
    ]
    for comparison in ctx.comparisons("employed_labourers"):
        growth = ctx.derived_table[
            (ctx.derived_table["region"] == comparison.region)
            & (ctx.derived_table["period_end"] == comparison.period_end)
            & (ctx.derived_table["metric"] == "employed_labourers_growth")
        ]
        if growth.empty:
            continue
        row = growth.iloc[0]
        bars.append(
            plots.Bar(
                ctx.t(
                    f"{ctx.region_name(comparison.region)} (year {comparison.period_end[:4]})",
                    f"{ctx.region_name(comparison.region)}（{comparison.period_end[:4]}年全年）",
                ),
                Estimate(row["value"], row["lower"], row["upper"]),
                note=ctx.t("whole year against half a year", "全年对半年，口径不同"),
                like_for_like=False,
            )
        )
    if len(bars) < 2:
        return None
    return plots.benchmark_bars(
        bars,
        value_format=lambda v: ctx.pct(v, signed=True),
        not_comparable_label=ctx.t("not like-for-like", "不可直接比较"),
        title=ctx.t("Growth of labourers in work on last year", "脱贫劳动力务工人数比上年增长"),
        caption=ctx.t(
            "The national figure compares the end of 2022 with the end of 2021 (whole year); the city's "
            "compares mid-2022 with last year's level. They are shown side by side, not as equals.",
            "全国数据为2022年末与2021年末之比（全年）；本市数据为年中与上年水平之比。二者并列展示，但口径不同。",
        ),
    )


def employment_findings(ctx: RunContext, outcome: EmploymentOutcome | None) -> str:
    if outcome is None:
        return not_reported_note(ctx, "employment", "务工就业")
    o = outcome
    lines = [
        ctx.t(
            f"{o.total.value:,.0f} labourers from poverty-alleviated households were in work at {ctx.run.period_end}, "
            f"{ctx.pct(o.total_growth.value, signed=True)} on last year's implied level of "
            f"{ctx.fmt_range(o.total_last, 'persons')}.",
            f"截至{ctx.run.period_end}，脱贫劳动力务工{ctx.fmt(o.total.value, 'persons')}，比推算的上年水平"
            f"{ctx.fmt_range(o.total_last, 'persons')}增长{ctx.pct(o.total_growth.value)}。",
        )
    ]
    if o.out is not None and o.out_growth is not None and o.inside_growth is not None:
        lines.append(
            ctx.t(
                f"Work outside the province grew faster ({ctx.pct(o.out_growth.value, signed=True)}, to "
                f"{o.out.value:,.0f}) than work inside it ({ctx.pct(o.inside_growth.value, signed=True)}, to "
                f"{o.inside.value:,.0f}, derived), so the out-of-province share rose from "
                f"{ctx.pct(o.out_share_last.value, decimals=1)} to {ctx.pct(o.out_share.value, decimals=1)}.",
                f"省外务工增长{ctx.pct(o.out_growth.value)}（{ctx.fmt(o.out.value, 'persons')}），快于省内的"
                f"{ctx.pct(o.inside_growth.value)}（{ctx.fmt(o.inside.value, 'persons')}，推算），省外占比由"
                f"{ctx.pct(o.out_share_last.value, decimals=1)}升至{ctx.pct(o.out_share.value, decimals=1)}。",
            )
        )
    met_total = ctx.t("met", "实现") if o.total_rose else ctx.t("not met", "未实现")
    met_out = {True: ctx.t("met", "实现"), False: ctx.t("not met", "未实现"), None: ctx.not_reported}[o.out_rose]
    lines.append(
        ctx.t(
            f"The campaign's aim of a steady total with a rise is **{met_total}**; a steady out-of-province figure with "
            f"a rise is **{met_out}** (judged across the whole interval the printed ratios allow).",
            f"“总规模稳中有增”目标**{met_total}**，“省外务工稳中有升”目标**{met_out}**（按原文精度允许的整个区间判断）。",
        )
    )
    national = ctx.derived_table[
        (ctx.derived_table["region"] == "china") & (ctx.derived_table["metric"] == "employed_labourers_growth")
    ]
    if not national.empty:
        row = national.iloc[0]
        lines.append(
            ctx.t(
                f"Nationally the number grew {ctx.pct(row['value'], signed=True)} over the whole of "
                f"{str(row['period_end'])[:4]}; that is a whole-year change, this is a half-year level against last "
                "year's, so the two are not like-for-like.",
                f"全国{str(row['period_end'])[:4]}年全年增长{ctx.pct(row['value'])}；那是全年变化，此处为年中水平与上年之比，"
                "二者口径不同，不能直接比较。",
            )
        )
    return bullet_list(lines)


# 20 funding: projects and microcredit ------------------------------------------------------


def pipeline_stages(ctx: RunContext) -> list[tuple[str, float]]:
    stages = [
        ("projects_in_bank", ctx.t("Project bank", "项目库储备")),
        ("projects_planned", ctx.t("In the annual plan", "纳入年度计划")),
        ("projects_started", ctx.t("Started", "已开工")),
    ]
    return [(label, ctx.figures[i].value) for i, label in stages if ctx.has(i)]


def pipeline_figure(ctx: RunContext) -> Figure | None:
    stages = pipeline_stages(ctx)
    if len(stages) < 2:
        return None
    return plots.funnel(
        stages,
        value_format=lambda v: ctx.fmt(v, "items"),
        share_format=lambda s: ctx.pct(s, decimals=1),
        title=ctx.t(f"{ctx.region_name()}: assistance-project pipeline", f"{ctx.region_name()}：帮扶项目推进情况"),
        caption=ctx.t("Shares in brackets are of the stage before.", "括号内为占上一环节的比例。"),
    )


def projects_findings(ctx: RunContext) -> str:
    if not ctx.has("projects_in_bank") and not ctx.has("linkage_funds"):
        return not_reported_note(ctx, "assistance projects", "项目建设")
    lines = []
    if ctx.has("projects_in_bank", "projects_planned"):
        planned_share = ctx.derived["projects_planned_share"].value
        lines.append(
            ctx.t(
                f"Of {ctx.figures['projects_in_bank'].value:,.0f} projects in the bank, "
                f"{ctx.figures['projects_planned'].value:,.0f} ({ctx.pct(planned_share, decimals=1)}) entered the "
                "annual plan.",
                f"项目库储备{ctx.fmt(ctx.figures['projects_in_bank'].value, 'items')}，其中"
                f"{ctx.fmt(ctx.figures['projects_planned'].value, 'items')}（{ctx.pct(planned_share, decimals=1)}）纳入年度计划。",
            )
        )
    if ctx.has("projects_started", "projects_planned"):
        started = ctx.derived["projects_started_share"].value
        lines.append(
            ctx.t(
                f"{ctx.pct(started, decimals=1)} of planned projects had started by {ctx.run.period_end}.",
                f"截至{ctx.run.period_end}，年度计划项目开工率{ctx.pct(started, decimals=1)}。",
            )
        )
    if ctx.has("linkage_funds"):
        text_en = f"Fiscal linkage funds of {ctx.value_of('linkage_funds')} were invested"
        text_zh = f"投入财政衔接资金{ctx.value_of('linkage_funds')}"
        if ctx.derived.has("linkage_funds_per_planned_project"):
            per = ctx.derived["linkage_funds_per_planned_project"]
            text_en += f", {ctx.fmt(per.value, 'yuan')} per planned project on average"
            text_zh += f"，平均每个计划项目{ctx.fmt(per.value, 'yuan')}"
        if ctx.has("fund_project_matching_rate"):
            text_en += f"; the fund-project matching rate was {ctx.value_of('fund_project_matching_rate')}"
            text_zh += f"；资金项目匹配率{ctx.value_of('fund_project_matching_rate')}"
        lines.append(ctx.t(text_en + ".", text_zh + "。"))
    for comparison in ctx.comparisons("project_start_rate"):
        lines.append(
            ctx.t(
                f"For comparison, {ctx.region_name(comparison.region)} as a whole reported a start rate of "
                f"{ctx.pct(comparison.estimate.value)} for the year's projects by {comparison.period_end} "
                f"({comparison.reason or 'same period'}).",
                f"作为对照，{ctx.region_name(comparison.region)}截至{comparison.period_end}年度项目开工率"
                f"{ctx.pct(comparison.estimate.value)}（{comparison.reason or '同期'}）。",
            )
        )
    return bullet_list(lines)


MICROCREDIT_NEEDS = ("microcredit_amount",)


def microcredit_bullets_figure(ctx: RunContext) -> Figure | None:
    """Completion of each target, with the calendar pace for the annual one; Datong-like comparators too."""
    rows = []
    elapsed = ctx.derived.get("year_elapsed")
    if ctx.has("microcredit_100day_completion"):
        rows.append(
            (
                ctx.t(f"{ctx.region_name()}: 100-day target", f"{ctx.region_name()}：百日攻坚目标"),
                ctx.figures["microcredit_100day_completion"],
                None,
            )
        )
    if ctx.has("microcredit_annual_completion"):
        rows.append(
            (
                ctx.t(
                    f"{ctx.region_name()}: annual target (to {ctx.run.period_end})",
                    f"{ctx.region_name()}：年度任务（截至{ctx.run.period_end}）",
                ),
                ctx.figures["microcredit_annual_completion"],
                elapsed.value if elapsed else None,
            )
        )
    for comparison in ctx.comparisons("microcredit_annual_completion"):
        other_elapsed = ctx.derived_table[
            (ctx.derived_table["region"] == comparison.region)
            & (ctx.derived_table["period_end"] == comparison.period_end)
            & (ctx.derived_table["metric"] == "year_elapsed")
        ]
        rows.append(
            (
                ctx.t(
                    f"{ctx.region_name(comparison.region)}: annual target (to {comparison.period_end})",
                    f"{ctx.region_name(comparison.region)}：年度任务（截至{comparison.period_end}）",
                ),
                comparison.estimate,
                float(other_elapsed["value"].iloc[0]) if not other_elapsed.empty else None,
            )
        )
    if not rows:
        return None
    return plots.bullets(
        rows,
        pace_label=ctx.t("share of the year elapsed", "全年时间进度"),
        target_label=ctx.t("target (100%)", "目标（100%）"),
        value_format=lambda v: ctx.pct(v, decimals=1),
        title=ctx.t("Microcredit: completion of targets", "小额信贷：目标完成情况"),
        caption=ctx.t(
            "The black mark shows how much of the calendar year had passed at each period end: a bar beyond "
            "it is ahead of an even pace through the year.",
            "黑色标记为各报告期末的全年时间进度：柱条超过标记即快于全年均衡进度。",
        ),
    )


def average_loan_figure(ctx: RunContext, ceiling: float) -> Figure | None:
    own = ctx.derived.get("average_loan_per_household")
    if own is None:
        return None
    bars = [
        plots.Bar(
            ctx.t(f"{ctx.region_name()} ({ctx.run.period_end})", f"{ctx.region_name()}（{ctx.run.period_end}）"), own
        )
    ]
    for region in sorted(set(ctx.derived_table["region"]) - {ctx.run.region.slug}):
        rows = ctx.derived_table[
            (ctx.derived_table["region"] == region) & (ctx.derived_table["metric"] == "average_loan_per_household")
        ]
        for row in rows.itertuples(index=False):
            same_period = str(row.period_end) == ctx.run.period_end
            national = ctx.registers.regions[region].level == "country"
            note = []
            if not same_period:
                note.append(ctx.t(f"to {row.period_end}", f"截至{row.period_end}"))
            if national:
                note.append(ctx.t("households supported, a wider measure", "支持户数口径更宽"))
            bars.append(
                plots.Bar(
                    ctx.region_name(region),
                    Estimate(row.value, row.lower, row.upper),
                    note=", ".join(note) if ctx.lang == "en" else "，".join(note),
                    like_for_like=same_period and not national,
                )
            )
    return plots.benchmark_bars(
        bars,
        value_format=lambda v: ctx.fmt(v, "yuan"),
        not_comparable_label=ctx.t("not like-for-like", "不可直接比较"),
        title=ctx.t("Average microcredit per household", "户均小额信贷"),
        reference=(ceiling, ctx.t(f"ceiling {ctx.fmt(ceiling, 'yuan')}", f"上限{ctx.fmt(ceiling, 'yuan')}")),
        caption=ctx.t(
            "Amount disbursed divided by households given loans; the national figure divides a year's "
            "issuance by all households supported, so it is not like-for-like.",
            "投放金额除以获贷户数；全国数据为全年发放额除以支持户数，口径不同。",
        ),
    )


def microcredit_findings(ctx: RunContext, ceiling: float) -> str:
    if not ctx.has(*MICROCREDIT_NEEDS):
        return not_reported_note(ctx, "microcredit", "小额信贷")
    lines = []
    amount = ctx.value_of("microcredit_amount")
    if ctx.has("microcredit_households"):
        average = ctx.derived["average_loan_per_household"]
        lines.append(
            ctx.t(
                f"{amount} of microcredit went to {ctx.figures['microcredit_households'].value:,.0f} households, "
                f"{ctx.fmt(average.value, 'yuan')} each on average ({ctx.pct(average.value / ceiling, decimals=1)} of the "
                f"{ctx.fmt(ceiling, 'yuan')} per-household ceiling).",
                f"向{ctx.value_of('microcredit_households')}投放小额信贷{amount}，户均{ctx.fmt(average.value, 'yuan')}，"
                f"为每户上限{ctx.fmt(ceiling, 'yuan')}的{ctx.pct(average.value / ceiling, decimals=1)}。",
            )
        )
    else:
        lines.append(ctx.t(f"{amount} of microcredit was disbursed.", f"投放小额信贷{amount}。"))
    if ctx.has("microcredit_100day_completion"):
        target = ctx.derived["microcredit_amount_target_100day"]
        lines.append(
            ctx.t(
                f"That is {ctx.value_of('microcredit_100day_completion')} of the 100-day target, which implies a target "
                f"of about {ctx.fmt(target.value, 'yuan')} ({ctx.fmt(target.lower, 'yuan')}–{ctx.fmt(target.upper, 'yuan')}).",
                f"完成百日攻坚目标的{ctx.value_of('microcredit_100day_completion')}，推算目标约{ctx.fmt(target.value, 'yuan')}"
                f"（{ctx.fmt(target.lower, 'yuan')}–{ctx.fmt(target.upper, 'yuan')}）。",
            )
        )
    if ctx.has("microcredit_annual_completion"):
        annual = ctx.figures["microcredit_annual_completion"]
        elapsed = ctx.derived["year_elapsed"]
        pace = ctx.derived["microcredit_annual_completion_pace"]
        target = ctx.derived["microcredit_amount_target_annual"]
        ahead = pace.lower > 1
        lines.append(
            ctx.t(
                f"It is {ctx.pct(annual.value, decimals=1)} of the annual target (implied: about "
                f"{ctx.fmt(target.value, 'yuan')}) with {ctx.pct(elapsed.value, decimals=1)} of the year gone: "
                f"{'ahead of' if ahead else 'not ahead of'} an even pace, at {pace.value:.2f} times it.",
                f"完成年度任务的{ctx.pct(annual.value, decimals=1)}（推算年度任务约{ctx.fmt(target.value, 'yuan')}），"
                f"而全年时间已过{ctx.pct(elapsed.value, decimals=1)}：进度为均衡进度的{pace.value:.2f}倍，"
                f"{'快于' if ahead else '未快于'}时间进度。",
            )
        )
        if ctx.has("microcredit_annual_target"):
            printed = ctx.figures["microcredit_annual_target"]
            agrees = target.overlaps(printed)
            lines.append(
                ctx.t(
                    f"The report also prints the annual target itself: {ctx.fmt(printed.value, 'yuan')} "
                    f"({ctx.figures.rows.at['microcredit_annual_target', 'printed']} as printed), which "
                    + ("agrees with" if agrees else "differs from")
                    + " the target implied by the completion rate within the printed precision.",
                    f"报道同时给出年度任务{ctx.figures.rows.at['microcredit_annual_target', 'printed']}，在原文精度内"
                    + ("与按完成率推算的目标一致" if agrees else "与按完成率推算的目标不一致")
                    + "。",
                )
            )
    own_amount = ctx.figures["microcredit_amount"].value
    for comparison in ctx.comparisons("microcredit_amount"):
        other = ctx.region_name(comparison.region)
        ratio = ctx.pct(own_amount / comparison.estimate.value, decimals=1)
        lines.append(
            ctx.t(
                f"{ctx.region_name()}'s amount equals {ratio} of {other}'s {ctx.fmt(comparison.estimate.value, 'yuan')} "
                f"(to {comparison.period_end}"
                + (f"; not like-for-like: {comparison.reason})." if comparison.reason else ")."),
                f"{ctx.region_name()}投放额相当于{other}（截至{comparison.period_end}）{ctx.fmt(comparison.estimate.value, 'yuan')}的{ratio}"
                + (f"（口径说明：{comparison.reason}）。" if comparison.reason else "。"),
            )
        )
    for comparison in ctx.comparisons("microcredit_annual_target"):
        other = ctx.region_name(comparison.region)
        completion = [
            c
            for c in ctx.comparisons("microcredit_annual_completion")
            if (c.region, c.period_end) == (comparison.region, comparison.period_end)
        ]
        done_en = f", {ctx.pct(completion[0].estimate.value)} of it disbursed" if completion else ""
        done_zh = f"，已完成{ctx.pct(completion[0].estimate.value)}" if completion else ""
        lines.append(
            ctx.t(
                f"{other}'s annual target is {ctx.fmt(comparison.estimate.value, 'yuan')}{done_en} by {comparison.period_end}.",
                f"{other}年度任务{ctx.fmt(comparison.estimate.value, 'yuan')}{done_zh}（截至{comparison.period_end}）。",
            )
        )
    for comparison in ctx.comparisons("microcredit_balance"):
        other = ctx.region_name(comparison.region)
        lines.append(
            ctx.t(
                f"{other}'s microcredit balance of {ctx.fmt(comparison.estimate.value, 'yuan')} at {comparison.period_end} "
                "is a stock of loans outstanding, not an amount disbursed, so it is not compared with the figures above.",
                f"{other}截至{comparison.period_end}的小额信贷余额{ctx.fmt(comparison.estimate.value, 'yuan')}是存量而非投放额，"
                "不与上述数据比较。",
            )
        )
    return bullet_list(lines)


# 30 sales ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SalesOutcome:
    channels: list[tuple[str, Estimate]]  # (indicator id, figure)
    total: Estimate
    shares: list[Estimate]
    channels_sum: Estimate
    adds_up: bool


def sales_outcome(ctx: RunContext) -> SalesOutcome | None:
    if not ctx.has("consumption_assistance_total"):
        return None
    parts = [p.id for p in ctx.registers.parts_of("consumption_assistance_total", channels_only=True)]
    channels = [(p, ctx.figures[p]) for p in parts if ctx.has(p)]
    total = ctx.figures["consumption_assistance_total"]
    if not channels:
        return SalesOutcome([], total, [], Estimate.exact(0.0), False)
    channels_sum = channels[0][1]
    for _, e in channels[1:]:
        channels_sum = channels_sum + e
    shares = [ctx.derived[f"{p}_share"] for p, _ in channels]
    return SalesOutcome(
        channels, total, shares, channels_sum, len(channels) == len(parts) and channels_sum.overlaps(total)
    )


def sales_table(ctx: RunContext, outcome: SalesOutcome) -> pd.DataFrame:
    rows = [
        [ctx.label(p), ctx.figures.rows.at[p, "printed"], ctx.fmt(e.value, "yuan"), ctx.pct(s.value, decimals=1)]
        for (p, e), s in zip(outcome.channels, outcome.shares, strict=True)
    ]
    rows.append(
        [
            ctx.t("Channels added up", "分项合计"),
            "",
            ctx.fmt(outcome.channels_sum.value, "yuan"),
            ctx.pct(outcome.channels_sum.value / outcome.total.value, decimals=2),
        ]
    )
    rows.append(
        [
            ctx.label("consumption_assistance_total"),
            ctx.figures.rows.at["consumption_assistance_total", "printed"],
            ctx.fmt(outcome.total.value, "yuan"),
            "100%",
        ]
    )
    return pd.DataFrame(
        rows, columns=ctx.t("channel|as printed|value|share of total", "渠道|原文|数值|占总额").split("|")
    )


def sales_figure(ctx: RunContext, outcome: SalesOutcome) -> Figure | None:
    if not outcome.channels:
        return None
    return plots.composition(
        [(ctx.name(p), e) for p, e in outcome.channels],
        outcome.total,
        value_format=lambda v: ctx.fmt(v, "yuan"),
        share_format=lambda s: ctx.pct(s, decimals=1),
        total_label=ctx.t("reported total", "报告总额"),
        title=ctx.t(
            f"{ctx.region_name()}: consumption assistance by channel", f"{ctx.region_name()}：消费帮扶分渠道构成"
        ),
        caption=ctx.t(
            "The dashed line marks the reported total; the bar is the channels added up.",
            "虚线为报告总额，柱条为各渠道之和。",
        ),
    )


def sales_findings(ctx: RunContext, outcome: SalesOutcome | None) -> str:
    if outcome is None:
        return not_reported_note(ctx, "consumption assistance", "消费帮扶")
    lines = [
        ctx.t(
            f"Consumption assistance reached {ctx.fmt(outcome.total.value, 'yuan')} by {ctx.run.period_end}.",
            f"截至{ctx.run.period_end}，累计消费帮扶{ctx.fmt(outcome.total.value, 'yuan')}。",
        )
    ]
    if outcome.channels:
        largest = max(range(len(outcome.channels)), key=lambda i: outcome.channels[i][1].value)
        smallest = min(range(len(outcome.channels)), key=lambda i: outcome.channels[i][1].value)
        lines.append(
            ctx.t(
                f"{ctx.name(outcome.channels[largest][0])} made up the largest part "
                f"({ctx.pct(outcome.shares[largest].value, decimals=1)}), "
                f"{ctx.name(outcome.channels[smallest][0]).lower()} the smallest ({ctx.pct(outcome.shares[smallest].value, decimals=1)}).",
                f"{ctx.name(outcome.channels[largest][0])}占比最大（{ctx.pct(outcome.shares[largest].value, decimals=1)}），"
                f"{ctx.name(outcome.channels[smallest][0])}最小（{ctx.pct(outcome.shares[smallest].value, decimals=1)}）。",
            )
        )
        gap = outcome.total.value - outcome.channels_sum.value
        lines.append(
            ctx.t(
                f"The channels add up to {ctx.fmt(outcome.channels_sum.value, 'yuan')}: "
                + (
                    "the reported total, within the printed precision"
                    if outcome.adds_up
                    else f"{ctx.fmt(abs(gap), 'yuan')} {'short of' if gap > 0 else 'above'} the reported total"
                )
                + ".",
                f"各渠道合计{ctx.fmt(outcome.channels_sum.value, 'yuan')}，"
                + ("在原文精度内与报告总额一致" if outcome.adds_up else f"与报告总额相差{ctx.fmt(abs(gap), 'yuan')}")
                + "。",
            )
        )
    if ctx.figures.reported("consumption_assistance_target_met"):
        lines.append(
            ctx.t(
                "The report states that the province's targets were met in full (no target figure given).",
                "报道称全面完成全省目标要求（未给出目标数值）。",
            )
        )
    return bullet_list(lines)


# 40 training, publicity and the "+1" policy task ------------------------------------------------


def training_table(ctx: RunContext) -> pd.DataFrame:
    return figures_table(ctx, [i.id for i in ctx.registers.indicators_of_task("training")])


def training_figure(ctx: RunContext) -> Figure | None:
    rows = []
    if ctx.derived.has("person_times_per_training_session"):
        rows.append(
            (
                ctx.t("Person-times per training session", "每期培训人次"),
                ctx.derived["person_times_per_training_session"],
            )
        )
    if ctx.derived.has("reach_per_publicity_event"):
        rows.append(
            (
                ctx.t("Person-times reached per publicity event", "每次宣传覆盖人次"),
                ctx.derived["reach_per_publicity_event"],
            )
        )
    if not rows:
        return None
    return plots.ratio_bars(
        rows,
        value_format=lambda v: f"{v:,.1f}",
        title=ctx.t(
            f"{ctx.region_name()}: reach of training and publicity", f"{ctx.region_name()}：培训与宣传覆盖强度"
        ),
        caption=ctx.t(
            "Error bars: the range the rounding of the printed person-times ("
            + ", ".join(_printed(ctx, i) for i in ("training_person_times", "publicity_person_times"))
            + ") allows.",
            "误差线：原文人次取整（"
            + "、".join(_printed(ctx, i) for i in ("training_person_times", "publicity_person_times"))
            + "）所允许的区间。",
        ),
    )


def _printed(ctx: RunContext, indicator: str) -> str:
    return str(ctx.figures.rows.at[indicator, "printed"]) if ctx.figures.reported(indicator) else ctx.not_reported


def training_findings(ctx: RunContext) -> str:
    training = [i.id for i in ctx.registers.indicators_of_task("training")]
    if not any(ctx.figures.reported(i) for i in training):
        return not_reported_note(ctx, "policy training and publicity", "政策培训宣传")
    lines = []
    if ctx.has("cadres_sent", "cadre_training_coverage"):
        lines.append(
            ctx.t(
                f"{ctx.figures['cadres_sent'].value:,.0f} first secretaries and work-team members were stationed in "
                f"villages; policy-training coverage among them was {ctx.value_of('cadre_training_coverage')}.",
                f"驻村第一书记和工作队员{ctx.value_of('cadres_sent')}，政策培训覆盖率{ctx.value_of('cadre_training_coverage')}。",
            )
        )
    if ctx.derived.has("person_times_per_training_session"):
        per = ctx.derived["person_times_per_training_session"]
        lines.append(
            ctx.t(
                f"City and counties held {ctx.figures['training_sessions'].value:,.0f} training sessions with "
                f"{ctx.fmt(ctx.figures['training_person_times'].value, 'person_times')}: about {per.value:.0f} per session "
                f"({per.lower:.0f}–{per.upper:.0f} given the rounding).",
                f"市县共培训{ctx.value_of('training_sessions')}、{ctx.value_of('training_person_times')}，"
                f"每期约{per.value:.0f}人次（按取整区间为{per.lower:.0f}–{per.upper:.0f}）。",
            )
        )
    if ctx.derived.has("reach_per_publicity_event"):
        per = ctx.derived["reach_per_publicity_event"]
        lines.append(
            ctx.t(
                f"{ctx.figures['publicity_events'].value:,.0f} publicity events reached "
                f"{ctx.fmt(ctx.figures['publicity_person_times'].value, 'person_times')}, about {per.value:.0f} per event.",
                f"开展政策宣传{ctx.value_of('publicity_events')}，覆盖{ctx.value_of('publicity_person_times')}，"
                f"每次约{per.value:.0f}人次。",
            )
        )
    if ctx.figures.reported("publicity_full_coverage"):
        lines.append(
            ctx.t(
                "Qualitative: publicity reached every poverty-alleviated village and every relocation "
                "resettlement site (no count given).",
                "定性：政策宣讲覆盖所有脱贫村和易地扶贫搬迁集中安置区（未给出数量）。",
            )
        )
    return bullet_list(lines)


def policy_findings(ctx: RunContext) -> str:
    if ctx.figures.reported("policy_creation"):
        return bullet_list(
            [
                ctx.t(
                    "The sixth task, local policy creation, is reported in words only: the article describes studying, "
                    "creating, publicising and implementing policy but gives no figure. It stays in the data as a "
                    "qualitative row so that the task is not lost.",
                    "第六项任务“推动政策创设落实”只有文字描述：报道介绍了研读、创设、宣传和落实政策的做法，但没有给出数字。"
                    "它作为定性记录保留在数据中，以免该任务被遗漏。",
                )
            ]
        )
    return not_reported_note(ctx, "local policy creation", "政策创设落实")


# The summary's one row per task ----------------------------------------------------------------


@dataclass(frozen=True)
class TaskStatus:
    task: str
    number: int
    name: str
    headline: str
    comparison: str
    status: str

    def status_text(self, lang: str) -> str:
        return STATUS_ZH[self.status] if lang == "zh" else self.status


def task_statuses(ctx: RunContext) -> list[TaskStatus]:
    """One row per task of the campaign: headline figure, comparison or completion, status."""
    rows = []
    for task in ctx.registers.campaign_tasks():
        headline, comparison, status = ctx.not_reported, "", "not reported"
        if task.id == "employment":
            outcome = employment_outcome(ctx)
            if outcome:
                headline = ctx.fmt(outcome.total.value, "persons")
                comparison = ctx.t(
                    f"{ctx.pct(outcome.total_growth.value, signed=True)} on last year",
                    f"比上年{ctx.pct(outcome.total_growth.value, signed=True)}",
                )
                if outcome.out_growth is not None:
                    comparison += ctx.t(
                        f"; out of province {ctx.pct(outcome.out_growth.value, signed=True)}",
                        f"；省外{ctx.pct(outcome.out_growth.value, signed=True)}",
                    )
                rose = outcome.total_rose and outcome.out_rose is not False
                status = "met" if rose else ("behind" if outcome.total_growth.upper < 0 else "on track")
        elif task.id == "projects":
            if ctx.has("projects_planned", "projects_started"):
                share = ctx.derived["projects_started_share"]
                headline = ctx.t(
                    f"{ctx.figures['projects_started'].value:,.0f} projects started",
                    f"开工{ctx.value_of('projects_started')}",
                )
                comparison = ctx.t(
                    f"{ctx.pct(share.value)} of the annual plan; linkage funds {ctx.value_of('linkage_funds')}",
                    f"占年度计划{ctx.pct(share.value)}；衔接资金{ctx.value_of('linkage_funds')}",
                )
                status = "met" if share.value >= 1 else "on track"
            elif ctx.has("linkage_funds"):
                headline, status = ctx.value_of("linkage_funds"), "qualitative"
        elif task.id == "microcredit":
            if ctx.has("microcredit_amount"):
                headline = ctx.value_of("microcredit_amount")
                parts = []
                if ctx.has("microcredit_100day_completion"):
                    parts.append(
                        ctx.t(
                            f"{ctx.value_of('microcredit_100day_completion')} of the 100-day target",
                            f"百日目标完成{ctx.value_of('microcredit_100day_completion')}",
                        )
                    )
                if ctx.has("microcredit_annual_completion"):
                    parts.append(
                        ctx.t(
                            f"{ctx.value_of('microcredit_annual_completion')} of the annual target",
                            f"年度任务完成{ctx.value_of('microcredit_annual_completion')}",
                        )
                    )
                comparison = "; ".join(parts) if ctx.lang == "en" else "；".join(parts)
                hundred = ctx.figures.get("microcredit_100day_completion")
                annual = ctx.figures.get("microcredit_annual_completion")
                pace = ctx.derived.get("microcredit_annual_completion_pace")
                if (hundred and hundred.value >= 1) or (annual and annual.value >= 1):
                    status = "met"
                elif pace is not None:
                    status = "on track" if pace.value >= 1 else "behind"
                else:
                    status = "qualitative"
        elif task.id == "training":
            if ctx.has("cadre_training_coverage"):
                coverage = ctx.figures["cadre_training_coverage"]
                headline = ctx.t(
                    f"{ctx.value_of('training_person_times')} trained; "
                    f"{ctx.value_of('publicity_person_times')} reached",
                    f"培训{ctx.value_of('training_person_times')}；宣传覆盖{ctx.value_of('publicity_person_times')}",
                )
                comparison = ctx.t(
                    f"training coverage of stationed cadres {ctx.pct(coverage.value)}",
                    f"驻村干部培训覆盖率{ctx.pct(coverage.value)}",
                )
                status = "met" if coverage.value >= 1 else "behind"
        elif task.id == "sales":
            outcome = sales_outcome(ctx)
            if outcome:
                headline = ctx.fmt(outcome.total.value, "yuan")
                comparison = ctx.t(
                    "channels add up to the total" if outcome.adds_up else "channels do not add up",
                    "各渠道之和与总额一致" if outcome.adds_up else "各渠道之和与总额不符",
                )
                if ctx.figures.reported("consumption_assistance_target_met"):
                    comparison += ctx.t(
                        "; provincial targets met in full (as stated)", "；全面完成全省目标（报道表述）"
                    )
                    status = "met"
                else:
                    status = "qualitative"
        elif task.id == "policy":
            if ctx.figures.reported("policy_creation"):
                headline = ctx.t("no figure reported", "未报告数字")
                comparison = ctx.t("described in words only", "仅有文字描述")
                status = "qualitative"
        rows.append(TaskStatus(task.id, task.number, task.name(ctx.lang), headline, comparison, status))
    return rows


def status_table(ctx: RunContext) -> pd.DataFrame:
    rows = [
        [("+1" if s.number == 6 else str(s.number)), s.name, s.headline, s.comparison, s.status_text(ctx.lang)]
        for s in task_statuses(ctx)
    ]
    return pd.DataFrame(
        rows,
        columns=ctx.t(
            "#|task|headline|comparison or completion|status", "序号|任务|主要数据|对比或完成情况|状态"
        ).split("|"),
    )
