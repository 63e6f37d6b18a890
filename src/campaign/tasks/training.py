"""40 · Policy training and publicity, and the "+1" task of local policy creation."""

from __future__ import annotations

from campaign.core.estimates import Estimate
from campaign.tasks.context import RunContext
from campaign.tasks.findings import Amount, Finding
from campaign.tasks.specs import Chart, Style, words

TASKS = ("training", "policy")
FIGURE_REACH = "training-reach-per-session-and-event"


def findings(ctx: RunContext) -> list[Finding]:
    found = []
    if ctx.has("cadres_sent", "cadre_training_coverage"):
        found.append(
            Finding(
                "training.cadres",
                {"cadres": ctx.amount("cadres_sent"), "coverage": ctx.amount("cadre_training_coverage")},
            )
        )
    if ctx.has("training_sessions", "training_person_times"):
        found.append(
            Finding(
                "training.sessions",
                {
                    "sessions": ctx.amount("training_sessions"),
                    "person_times": ctx.amount("training_person_times"),
                    "per_session": ctx.derived_amount("person_times_per_training_session"),
                },
            )
        )
    if ctx.has("publicity_events", "publicity_person_times"):
        found.append(
            Finding(
                "training.publicity",
                {
                    "events": ctx.amount("publicity_events"),
                    "reach": ctx.amount("publicity_person_times"),
                    "per_event": ctx.derived_amount("reach_per_publicity_event"),
                },
                caveats=("caveat.person_times",),
            )
        )
    if ctx.reported("publicity_full_coverage"):
        found.append(Finding("training.full_coverage"))
    return found


def policy_findings(ctx: RunContext) -> list[Finding]:
    return [Finding("policy.qualitative")] if ctx.reported("policy_creation") else []


def reach_figure(ctx: RunContext) -> Chart | None:
    rows = tuple(
        (words(f"training.figure.{metric}"), amount.estimate)
        for metric in ("person_times_per_training_session", "reach_per_publicity_event")
        if (amount := ctx.derived_amount(metric)) is not None
    )
    if not rows:
        return None
    counts = [ctx.amount(i) for i in ("training_person_times", "publicity_person_times") if ctx.has(i)]
    printed = [c.printed for c in counts]
    # the unit each count is printed to (2.3万人次: the nearest 1,000), from its interval
    steps = sorted({round(c.upper - c.lower) for c in counts if c.upper > c.lower})
    steps = [Amount(Estimate.exact(float(s)), "person_times") for s in steps]
    return Chart(
        "ratio_bars",
        rows,
        Style("amount", unit="person_times"),
        title=words("training.figure.title", region=ctx.region),
        caption=words("training.figure.caption", printed=printed, steps=steps),
    )
