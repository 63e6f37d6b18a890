"""Findings checked by value, and the rules that keep claims within the evidence."""

from __future__ import annotations

import pytest

from campaign.core.estimates import Estimate, MeasureMismatchError
from campaign.dataset.derived import derive_metrics
from campaign.dataset.processed import Figures, per_unit_of
from campaign.tasks import employment, microcredit, projects, sales, status, training
from campaign.tasks.context import open_run
from campaign.view import summary


@pytest.fixture(scope="module")
def changzhi(processed_data, tmp_path_factory):
    return open_run("长治市", "", "en", processed_data, tmp_path_factory.mktemp("reports"))


@pytest.fixture(scope="module")
def datong(processed_data, tmp_path_factory):
    return open_run("datong", None, "zh", processed_data, tmp_path_factory.mktemp("reports"))


def by_id(findings):
    return {f.id: f for f in findings}


def test_parameters_are_validated_with_a_list_of_what_is_valid(processed_data, tmp_path):
    with pytest.raises(ValueError, match=r"unknown region 'Taiyuan'; valid regions: .*长治市 \(changzhi\)"):
        open_run("Taiyuan", "", "en", processed_data, tmp_path)
    with pytest.raises(ValueError, match=r"reported period ends: 2022-06-30"):
        open_run("长治市", "2022-03-31", "en", processed_data, tmp_path)
    with pytest.raises(ValueError, match="unknown language 'fr'; valid languages: en, zh"):
        open_run("长治市", "", "fr", processed_data, tmp_path)


def test_employment_findings(changzhi):
    found = by_id(employment.findings(changzhi))
    total = found["employment.total"]
    assert total["total"].value == 104731 and total.judgement == "rose"
    assert total["growth"].value == pytest.approx(0.0528)
    assert total["last_year"].lower == pytest.approx(99473.9, abs=0.1)
    out = found["employment.out_of_province"]
    assert out.judgement == "out_faster"
    assert out["inside"].value == 87132
    assert out["share"].value > out["share_last_year"].value
    national = found["employment.national"]
    assert national["growth"].value == pytest.approx(132.9 / (3277.9 - 132.9), rel=1e-6)
    # the caveat stands in the comparison's own sentence, not in the page's notes
    assert national.caveats == ()
    from campaign.view.text.catalogue import Text

    for lang, said in (("en", "cannot be compared directly"), ("zh", "口径不同，仅作参照")):
        assert said in Text(lang)("employment.national", **national.values)
    aim = employment.aim(changzhi)
    assert aim.judgement == "met" and aim["out"] == "met" and aim.caveats == ()  # a finding, not a note
    for lang, said in (("en", "Work outside the province"), ("zh", "省外务工稳中有升")):
        assert said in Text(lang)("employment.aim", judgement=aim.judgement, **aim.values)


def test_projects_and_funds(changzhi):
    found = by_id(projects.findings(changzhi))
    assert found["projects.started"].judgement == "all"
    assert found["projects.planned"]["share"].value == pytest.approx(1766 / 3344)
    per = found["projects.funds"]["per_project"]
    assert (per.lower, per.upper) == pytest.approx((11.325e8 / 1766, 11.335e8 / 1766))
    other = found["projects.other_start_rate"]
    assert other["place"].slug == "shanxi" and other.caveats == ()  # a 100% start rate: no bias from its later date


def test_microcredit_findings(changzhi):
    found = by_id(microcredit.findings(changzhi))
    disbursed = found["microcredit.disbursed"]
    assert disbursed.judgement == "near_ceiling"
    assert disbursed["of_ceiling"].value == pytest.approx(0.998, abs=0.001)
    assert found["microcredit.target_100day"].judgement == "met"
    annual = found["microcredit.annual"]
    assert annual.judgement == "ahead"
    assert annual["ahead"].value == pytest.approx(0.607 - 0.5)
    assert "caveat.lending_seasonal" in annual.caveats
    balance = found["microcredit.other_balance"]
    assert balance["average"].value == pytest.approx(1824e8 / 433.3e4)  # stock over stock
    from campaign.view.text.catalogue import Text

    for lang, said in (("en", "a balance, not an amount disbursed"), ("zh", "余额为存量，不与投放额户均值比较")):
        assert said in Text(lang)("microcredit.other_balance", **balance.values)


def test_a_comparison_region_gets_its_growth_and_loan_rate_as_findings(datong):
    found = by_id(microcredit.findings(datong))
    assert found["microcredit.growth"]["growth"].value == pytest.approx(0.2535)
    rate = found["microcredit.loan_rate"]
    assert rate.judgement == "rose" and rate["change"].value == pytest.approx(0.0337)
    # its printed annual target is quoted, not inferred from the completion rate
    assert found["microcredit.annual"]["printed_target"].printed == "5.125亿元"
    assert "microcredit.printed_target" not in found
    assert projects.findings(datong) == []  # no "gave no figures" for what its source never covered


def test_sales_channels_add_up(changzhi):
    found = by_id(sales.findings(changzhi))
    # 2312.03 + 7222.6 + 309 = 9843.63 to the last printed digit: said in the sentence on the
    # components, not as a finding of its own
    assert found["sales.channels"].judgement == "exact"
    assert found["sales.channels"]["sum"].value == pytest.approx(98436300)
    assert "sales.adds_up" not in found
    assert found["sales.channels"]["largest"].id == "sales_orders"
    assert found["sales.target_statement"].caveats == ("caveat.no_target_figure",)


def test_training_and_policy(changzhi):
    found = by_id(training.findings(changzhi))
    assert found["training.sessions"]["per_session"].value == pytest.approx(23000 / 279)
    assert [f.id for f in training.policy_findings(changzhi)] == ["policy.qualitative"]


def test_statuses_say_what_the_evidence_shows_and_nothing_stronger(changzhi):
    rows = {s.task.id: s for s in status.task_statuses(changzhi)}
    assert {task: row.status for task, row in rows.items()} == {
        "employment": "above_last_year",  # 105.28% of last year's (2021) level: a mid-year stage result
        "projects": "all_started",  # a start rate, not completion
        "microcredit": "exceeded",  # 121.9% of the 100-day target
        "training": "full_coverage",  # 100% of stationed cadres trained; the counts have no target
        "sales": "stated_met",  # the report's own claim, no target figure
        "policy": "described",  # words only (its practices are not figures)
    }


def test_a_task_without_a_target_or_comparison_cannot_be_met(processed_data, tmp_path):
    import shutil

    from campaign.dataset.clean import clean, write_outputs

    data = tmp_path / "data"
    shutil.copytree(processed_data, data)
    raw = data / "raw" / "changzhi-2022-06-30-seed.csv"
    # invented for the test: the same region without its ratio to last year and its completion rates
    lines = raw.read_text(encoding="utf-8").splitlines()
    dropped = ("employed_labourers_vs_last_year", "microcredit_100day_completion", "microcredit_annual_completion")
    kept = [line for line in lines if not any(f",{d}," in line for d in dropped)]
    raw.write_text("\n".join(kept) + "\n", encoding="utf-8")
    write_outputs(clean(data), data / "processed")
    ctx = open_run("changzhi", "", "en", data, tmp_path / "reports")
    statuses = {s.task.id: s.status for s in status.task_statuses(ctx)}
    assert statuses["employment"] == "reported" and statuses["microcredit"] == "reported"
    assert not {"met", "exceeded", "above_last_year"} & {statuses[t] for t in ("employment", "microcredit", "training")}


def test_full_coverage_rests_on_a_printed_coverage_of_100_percent(processed_data, tmp_path):
    import shutil

    from campaign.dataset.clean import clean, write_outputs

    data = tmp_path / "data"
    shutil.copytree(processed_data, data)
    raw = data / "raw" / "changzhi-2022-06-30-seed.csv"
    # invented for the test: the coverage of stationed cadres printed as 95% instead of 100%
    text = raw.read_text(encoding="utf-8").replace(",cadre_training_coverage,100%,", ",cadre_training_coverage,95%,")
    raw.write_text(text, encoding="utf-8")
    write_outputs(clean(data), data / "processed")
    ctx = open_run("changzhi", "", "en", data, tmp_path / "reports")
    assert {s.task.id: s.status for s in status.task_statuses(ctx)}["training"] == "reported"


def test_comparison_runs_cover_only_tasks_with_figures(datong):
    assert [s.task.id for s in status.task_statuses(datong)] == ["microcredit"]
    assert not datong.is_campaign_run


def test_no_stock_is_divided_by_a_flow(processed_data, changzhi):
    china = Figures(changzhi.observations, "china", "2022-12-31")
    with pytest.raises(MeasureMismatchError, match="microcredit_amount \\(flow\\) cannot be divided"):
        per_unit_of(china, changzhi.registers, "microcredit_amount", "microcredit_households")
    derived = derive_metrics(changzhi.observations, changzhi.registers)
    china_metrics = set(derived.loc[derived["region"] == "china", "metric"])
    assert "average_loan_per_household" not in china_metrics
    assert "average_balance_per_household" in china_metrics


def test_no_share_is_taken_across_periods(changzhi):
    """Other places' amounts appear as context with a caveat, never as a share of them."""
    for finding in microcredit.findings(changzhi):
        if finding.id == "microcredit.other_amount":
            assert finding["period_end"] != changzhi.run.period_end
            assert finding.caveats == ("caveat.others.no_share_across_periods",)
        assert "share" not in finding.values


def test_the_summary_draws_its_own_charts_from_this_runs_findings(changzhi, datong):
    # drawn from the run's data, never read from files another notebook left (issue 17.7)
    from campaign.view.text.catalogue import Text

    charts = {s.task.id: s.chart for s in summary.task_sections(changzhi, Text("en"))}
    assert [t for t, c in charts.items() if c is not None] == [
        "employment",
        "projects",
        "microcredit",
        "training",
        "sales",
    ]
    [datong_section] = summary.task_sections(datong, Text("en"))
    assert datong_section.task.id == "microcredit" and datong_section.chart is not None
    assert not changzhi.run.figures_dir.exists() or not any(changzhi.run.figures_dir.glob("summary*"))


def test_a_stock_never_shares_an_axis_with_flows(changzhi):
    # the average-loan chart sets averages of amounts disbursed side by side; the national balance
    # per borrowing household (a stock over a stock) is in the text only
    from campaign.view import drawing
    from campaign.view.text.catalogue import Text

    chart = drawing.draw(microcredit.average_figure(changzhi), Text("en"))
    labels = [t.get_text() for t in chart.axes[0].get_yticklabels() + chart.axes[0].get_xticklabels()]
    assert labels and not any("China" in label or "balance" in label for label in labels), labels


def test_estimate_arithmetic_keeps_intervals():
    a = Estimate(10.0, 9.5, 10.5)
    assert (a - Estimate.exact(1.0)).lower == 8.5


def test_the_working_table_holds_the_printed_and_derived_figures_of_its_tasks(changzhi):
    table = changzhi.working_table("microcredit")
    assert (
        table.at["microcredit_amount", "printed"] == "2.58亿元" and table.at["microcredit_amount", "kind"] == "printed"
    )
    average = table.loc["average_loan_per_household"]
    assert average["kind"] == "derived" and average["lower"] < average["value"] < average["upper"]
    assert average["value"] == pytest.approx(2.58e8 / 5170)
    assert "employed_labourers" not in table.index and "employed_in_province" not in table.index


def test_a_notebook_for_a_region_without_its_figures_says_so(datong):
    from campaign.view import page
    from campaign.view.text.catalogue import Text

    line = page.intro(datong, Text("en"), tasks=("employment",))
    # it names the notebooks that do cover the region, those make builds for it
    assert "Nothing to show for this region here" in line and "20-funding and 90-summary" in line
    assert "Nothing to show" not in page.intro(datong, Text("en"), tasks=("microcredit",))
    assert "90-summary" in page.intro(datong, Text("zh"), tasks=("employment",))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_notebook_for_a_region_without_its_figures_stops_in_one_line(datong, lang):
    from campaign.view import opening, page
    from campaign.view.text.catalogue import Text

    page.stop_unless_covered(datong, Text(lang), tasks=("microcredit",))  # covered: goes on
    with pytest.raises(opening.NotCovered) as stopped:
        page.stop_unless_covered(datong, Text(lang), tasks=("employment", "sales"))
    (shown,) = stopped.value._render_traceback_()  # what IPython shows instead of a traceback
    assert "20-funding" in shown and "90-summary" in shown and "REGION=datong" in shown and "\n" not in shown


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_page_says_nothing_of_the_tasks_its_region_does_not_report(datong, lang):
    # Datong's source reports microcredit but no projects: its funding page is titled for
    # microcredit alone (heading) and does not explain what it leaves out, which no reader asked for
    from campaign.view import page
    from campaign.view.text.catalogue import Text

    text = Text(lang)
    projects = text.name(datong.registers.tasks["projects"]).lower()
    line = page.intro(datong, text, tasks=("projects", "microcredit"))
    title = page.heading(datong, text, "funding", ("projects", "microcredit"))
    assert projects not in line.lower() and projects not in title.lower(), (line, title)
    assert line == page.intro(datong, text, tasks=("microcredit",))


def test_points_to_watch_rest_on_the_runs_figures_and_gaps(changzhi, datong):
    from campaign.tasks import watch

    found = by_id(watch.points(changzhi))
    assert sorted(found) == ["watch.loans_at_the_limit", "watch.orders", "watch.projects_unfinished"]
    assert found["watch.loans_at_the_limit"]["overdue_given"] is False  # no overdue rate printed
    assert found["watch.orders"]["share"].value == pytest.approx(7222.6 / 9843.63, rel=1e-9)
    assert found["watch.projects_unfinished"]["started"].value == 1766
    # Datong: microcredit only, its average also at the limit
    assert [f.id for f in watch.points(datong)] == ["watch.loans_at_the_limit"]


def test_no_point_to_watch_without_the_figure_it_rests_on(processed_data, tmp_path):
    # invented: Changzhi's processed observations without the microcredit households (so no
    # average) and without the orders channel
    import shutil

    import pandas as pd

    data = tmp_path / "data"
    shutil.copytree(processed_data, data)
    observations = data / "processed" / "observations.csv"
    frame = pd.read_csv(observations, dtype=str, keep_default_na=False)
    frame = frame[~frame["indicator"].isin(["microcredit_households", "sales_orders"])]
    frame.to_csv(observations, index=False)
    derived = data / "processed" / "derived.csv"
    table = pd.read_csv(derived, dtype=str, keep_default_na=False)
    table[~table["metric"].isin(["average_loan_per_household", "sales_orders_share"])].to_csv(derived, index=False)
    from campaign.tasks import watch

    ctx = open_run("长治市", "", "en", data, tmp_path / "reports")
    assert [f.id for f in watch.points(ctx)] == ["watch.projects_unfinished"]


@pytest.mark.parametrize(("lang", "said"), [("en", "not independently checked"), ("zh", "未经独立核实")])
def test_every_page_says_at_its_top_that_the_figures_are_self_reported(changzhi, datong, lang, said):
    from campaign.view import page
    from campaign.view.text.catalogue import Text

    for ctx in (changzhi, datong):
        assert said in page.intro(ctx, Text(lang), tasks=("microcredit",))


def test_average_loans_are_alike_only_where_their_intervals_meet(changzhi, monkeypatch):
    # 2.58亿元 / 5170户 and 5.24亿元 / 10495户: both about CNY 49,900, both at the usual limit
    assert microcredit.averages_alike(changzhi) == (True, True)
    from types import SimpleNamespace

    from campaign.tasks.findings import Amount

    lower = SimpleNamespace(amount=Amount(Estimate(40000.0, 39900.0, 40100.0), "yuan"))  # invented
    monkeypatch.setattr(changzhi, "derived_elsewhere", lambda metric: [lower])
    assert microcredit.averages_alike(changzhi) == (False, False)
    monkeypatch.setattr(changzhi, "derived_elsewhere", lambda metric: [])
    assert microcredit.averages_alike(changzhi) is None
