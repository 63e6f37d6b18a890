"""The numbers and statuses the analysis notebooks state, checked against the seed's figures."""

from __future__ import annotations

import pytest

from campaign import analysis
from campaign.report import open_run


@pytest.fixture
def changzhi(processed_data, tmp_path):
    return open_run("长治市", "", "en", processed_data, tmp_path / "reports")


@pytest.fixture
def datong(processed_data, tmp_path):
    return open_run("datong", None, "zh", processed_data, tmp_path / "reports")


def test_parameters_are_validated_with_a_list_of_what_is_valid(processed_data, tmp_path):
    with pytest.raises(ValueError, match=r"unknown region 'Taiyuan'; valid regions: .*长治市 \(changzhi\)"):
        open_run("Taiyuan", "", "en", processed_data, tmp_path)
    with pytest.raises(
        ValueError, match=r"no data for 长治市 \(changzhi\) at period end 2022-03-31; reported period ends: 2022-06-30"
    ):
        open_run("长治市", "2022-03-31", "en", processed_data, tmp_path)
    with pytest.raises(ValueError, match="malformed period end '30/06/2022'"):
        open_run("长治市", "30/06/2022", "en", processed_data, tmp_path)
    with pytest.raises(ValueError, match="unknown language 'fr'; valid languages: en, zh"):
        open_run("长治市", "", "fr", processed_data, tmp_path)


def test_default_period_is_the_latest_reported(changzhi, datong):
    assert changzhi.run.id == "changzhi-2022-06-30-en"
    assert datong.run.id == "datong-2022-08-31-zh"


def test_employment_outcome(changzhi):
    outcome = analysis.employment_outcome(changzhi)
    assert outcome.total.value == 104731
    assert outcome.total_growth.value == pytest.approx(0.0528)
    assert outcome.out_growth.value == pytest.approx(0.1404)
    assert outcome.inside.value == 87132
    assert outcome.out_share.value > outcome.out_share_last.value
    assert outcome.total_rose and outcome.out_rose
    text = analysis.employment_findings(changzhi, outcome)
    assert "104,731" in text and "+5.28%" in text and "not like-for-like" in text and "+4.23%" in text


def test_sales_channels_add_up(changzhi):
    outcome = analysis.sales_outcome(changzhi)
    assert outcome.adds_up
    assert outcome.channels_sum.value == pytest.approx(98436300)
    assert [p for p, _ in outcome.channels] == ["sales_stocked_produce", "sales_orders", "sales_exhibitions"]


def test_every_task_keeps_its_row_with_a_status(changzhi):
    statuses = {s.task: s.status for s in analysis.task_statuses(changzhi)}
    assert statuses == {
        "employment": "met",
        "projects": "met",
        "microcredit": "met",
        "training": "met",
        "sales": "met",
        "policy": "qualitative",
    }


def test_region_with_microcredit_only_says_not_reported_for_the_rest(datong):
    statuses = {s.task: s.status for s in analysis.task_statuses(datong)}
    assert statuses == {
        "employment": "not reported",
        "projects": "not reported",
        "microcredit": "met",
        "training": "not reported",
        "sales": "not reported",
        "policy": "not reported",
    }
    assert analysis.employment_outcome(datong) is None
    assert analysis.pipeline_figure(datong) is None
    assert analysis.training_figure(datong) is None
    assert "未报告" in analysis.employment_findings(datong, None)
    assert "未报告" in analysis.sales_findings(datong, None)
    credit = analysis.microcredit_findings(datong, 50000.0)
    assert "5.24亿元" in credit and "1.05万户" in credit


def test_chinese_run_writes_chinese(processed_data, tmp_path):
    ctx = open_run("长治市", "", "zh", processed_data, tmp_path)
    table = analysis.status_table(ctx)
    assert list(table.columns) == ["序号", "任务", "主要数据", "对比或完成情况", "状态"]
    assert table["状态"].tolist() == ["已完成"] * 5 + ["定性"]
    assert "10.47万人" in analysis.employment_findings(ctx, analysis.employment_outcome(ctx))


def test_chinese_bold_text_renders_as_bold(processed_data, tmp_path):
    # CommonMark does not close ** right after full-width punctuation when a letter follows,
    # so "**来源：**长治" would show its asterisks; the labels keep punctuation outside.
    import re

    import mistune  # nbconvert's Markdown renderer

    assert "<strong>" not in mistune.html("**来源：**长治")  # the trap this test guards against
    for region in ("datong", "changzhi"):
        ctx = open_run(region, None, "zh", processed_data, tmp_path)
        texts = [
            analysis.employment_findings(ctx, analysis.employment_outcome(ctx)),
            analysis.sales_findings(ctx, analysis.sales_outcome(ctx)),
            analysis.training_findings(ctx),
            ctx.intro_text(),
        ]
        for text in texts:
            html = mistune.html(text)
            assert not re.search(r"\*\*", html), html
    assert "<strong>" in mistune.html(analysis.employment_findings(ctx, None))


def test_printed_target_is_checked_against_the_implied_one(processed_data, tmp_path):
    ctx = open_run("datong", None, "en", processed_data, tmp_path)
    text = analysis.microcredit_findings(ctx, 50000.0)
    # 5.24亿 / 102% is 5.137亿 (5.108亿-5.167亿), which contains the printed 5.125亿
    assert "agrees with the target implied by the completion rate" in text
    changzhi = open_run("changzhi", None, "en", processed_data, tmp_path)
    text = analysis.microcredit_findings(changzhi, 50000.0)
    assert "Datong's annual target is CNY 512 million, 102% of it disbursed by 2022-08-31." in text
    assert "not an amount disbursed" in text  # China's balance is named, not compared


def test_chinese_tables_of_figures_carry_no_english_sentences(processed_data, tmp_path):
    import re

    ctx = open_run("changzhi", None, "zh", processed_data, tmp_path)
    qualitative = [i.id for i in ctx.registers.indicators.values() if i.qualitative]
    table = analysis.figures_table(ctx, [*qualitative, "employed_labourers"])
    for cell in [*table["数值"], *table["来源"].str.split("，").str[1]]:
        assert not re.search(r"[A-Za-z]{4,}", cell), cell
    assert table["来源"].iloc[-1] == "seed-changzhi-2022-09-05，第3段"
