"""Extraction from texts in the styles analysts meet: every text here is invented for the test."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from campaign.core.registers import Registers
from campaign.extract import Extractor
from campaign.extract.periods import find_period_marks
from campaign.extract.reading import load_synonyms, read_report

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(Registers.load(DATA), load_synonyms(DATA))


def rows(extraction) -> list[tuple[int, str, str, str]]:
    return [(f.line, f.printed, f.indicator, f.period_end) for f in extraction.figures]


# Invented: a repost whose words a tool replaced with synonyms (截至 -> 停止, 其中 -> 个中,
# 工作 -> 事情, 资金 -> 资本, 培训 -> 训练, 宣传 -> 宣扬, 覆盖 -> 笼罩, 累计 -> 积累, 开展 -> 展开).
SYNONYM_REPOST = """\
忻州市巩固脱贫成果百日攻坚事情取得实效
2022-07-25 来源：网络整理
停止6月底，全市脱贫劳动力务工总人数61204人，占上年度102.7%，个中省外务工9318人，占上年度106.9%。
全市项目库储备项目1852个，个中纳入年度计划实施项目947个全部开工建设；投入财政衔接资本7.02亿元，资本项目匹配率100%。
全市共为3108户脱贫户和监测户投放小额信贷1.53亿元，完成年度投放任务的58.4%。
市县共展开训练186期，训练1.1万人次；共展开政策宣扬1862次，笼罩32.4万人次。
全市积累消费帮扶金额5127.3万元。
"""


def test_synonym_replaced_repost(extractor):
    extraction = extractor.extract(SYNONYM_REPOST, dt.date(2022, 7, 25))
    end = "2022-06-30"
    assert rows(extraction) == [
        (3, "61204人", "employed_labourers", end),
        (3, "102.7%", "employed_labourers_vs_last_year", end),
        (3, "9318人", "employed_out_of_province", end),
        (3, "106.9%", "employed_out_of_province_vs_last_year", end),
        (4, "1852个", "projects_in_bank", end),
        (4, "947个", "projects_planned", end),
        (4, "947个", "projects_started", end),
        (4, "7.02亿元", "linkage_funds", end),
        (4, "100%", "fund_project_matching_rate", end),
        (5, "3108户", "microcredit_households", end),
        (5, "1.53亿元", "microcredit_amount", end),
        (5, "58.4%", "microcredit_annual_completion", end),
        (6, "186期", "training_sessions", end),
        (6, "1.1万人次", "training_person_times", end),
        (6, "1862次", "publicity_events", end),
        (6, "32.4万人次", "publicity_person_times", end),
        (7, "5127.3万元", "consumption_assistance_total", end),
    ]
    assert extraction.region == "忻州市"
    # the review shows the sentence in the words the file prints
    assert extraction.figures[0].sentence.startswith("停止6月底，全市脱贫劳动力务工总人数61204人")


# Invented: a national bulletin in traditional characters, saved as GB18030.
NATIONAL_TRADITIONAL = """\
國家鄉村振興局發布2022年上半年鞏固脫貧成果進展
截至2022年6月底，全國脫貧勞動力務工就業規模達到3190.5萬人，比上年末增加45.3萬人，超過年度目標任務170.2萬人。
上半年，全國累計發放脫貧人口小額信貸612.4億元，同比增長18.1%，支持脫貧戶和監測戶138.6萬戶。
各地共舉辦鄉村振興幹部培訓班1.2萬期，培訓86.7萬人次。
"""


def test_national_bulletin_in_traditional_characters(extractor, tmp_path):
    path = tmp_path / "bulletin.txt"
    path.write_bytes(NATIONAL_TRADITIONAL.encode("gb18030"))
    extraction = extractor.extract(read_report(path), dt.date(2022, 7, 28))
    end = "2022-06-30"
    assert rows(extraction) == [
        (2, "3190.5万人", "employed_labourers", end),
        (2, "45.3万人", "employed_labourers_increase", end),
        (2, "170.2万人", "employed_labourers_above_target", end),
        (3, "612.4亿元", "microcredit_amount", end),
        (3, "18.1%", "microcredit_amount_growth", end),
        (3, "138.6万户", "microcredit_households", end),
        (4, "1.2万期", "training_sessions", end),
        (4, "86.7万人次", "training_person_times", end),
    ]
    assert extraction.figures[0].value == 31905000
    assert extraction.region == "中国"
    assert extraction.figures[0].sentence.startswith("截至2022年6月底，全國脫貧勞動力")


# Invented: a county's bullet list, dated once under its title.
COUNTY_BULLETS = """\
沁县巩固脱贫成果“百日攻坚”专项行动进展情况
（截至2022年6月15日）
一、务工就业
1.全县脱贫劳动力务工就业7,416人，占上年度101.9%。
2.外省务工1,205人，相当于上年的104.3%。
二、项目建设
1.项目库储备项目428个。
2.纳入年度计划项目196个，已开工187个，开工率95.4%。
三、小额信贷
新增投放小额信贷2860万元，获贷户数603户，户贷率13.7%。
四、培训宣传
办班18期，培训2140人次；开展政策宣传215次，覆盖群众2.6万人次。
五、消费帮扶
存量农产品销售316.5万元；农产品订单842万元；展销活动65万元；累计消费帮扶金额1223.5万元。
"""


def test_county_bullet_list(extractor):
    extraction = extractor.extract(COUNTY_BULLETS, dt.date(2022, 6, 20))
    end = "2022-06-15"
    assert rows(extraction) == [
        (4, "7,416人", "employed_labourers", end),
        (4, "101.9%", "employed_labourers_vs_last_year", end),
        (5, "1,205人", "employed_out_of_province", end),
        (5, "104.3%", "employed_out_of_province_vs_last_year", end),
        (7, "428个", "projects_in_bank", end),
        (8, "196个", "projects_planned", end),
        (8, "187个", "projects_started", end),
        (8, "95.4%", "project_start_rate", end),
        (10, "2860万元", "microcredit_amount", end),
        (10, "603户", "microcredit_households", end),
        (10, "13.7%", "microcredit_household_loan_rate", end),
        (12, "18期", "training_sessions", end),
        (12, "2140人次", "training_person_times", end),
        (12, "215次", "publicity_events", end),
        (12, "2.6万人次", "publicity_person_times", end),
        (14, "316.5万元", "sales_stocked_produce", end),
        (14, "842万元", "sales_orders", end),
        (14, "65万元", "sales_exhibitions", end),
        (14, "1223.5万元", "consumption_assistance_total", end),
    ]
    assert extraction.region == "沁县"
    assert [f.locator for f in extraction.figures[:2]] == ["paragraph 3", "paragraph 3"]


# Invented: a city's news page with navigation, view counter, related headlines and a footer.
CITY_PAGE = """\
首页 > 新闻中心 > 本地要闻
朔州市“百日攻坚”推动脱贫成果巩固提升
来源：朔州日报　　发布时间：2022-07-08 16:42　　阅读次数：1532次
【字体：大 中 小】【打印】【关闭】

　　截至6月30日，全市脱贫劳动力务工就业人数达到48,619人，较上年底增加2,317人。全市驻村第一书记和工作队员1,968名，政策培训覆盖率100%。

　　全市累计发放小额信贷9,860万元，惠及2,054户脱贫户和监测户，完成“百日攻坚”目标任务的115.2%。

　　今年以来，全市消费帮扶累计销售农产品6,215万元，位居全省第二。

（责任编辑：王磊）
上一篇：朔州市新增就业岗位3000个
下一篇：第2届农民丰收节将于9月举办
主办：朔州市人民政府办公室　电话：0349-2021234　传真：0349-2021235
晋ICP备05004321号-2　晋公网安备14060202000088号
Copyright © 2022 朔州市人民政府 版权所有
"""


def test_city_page_with_footer(extractor):
    extraction = extractor.extract(CITY_PAGE.replace("\n", "\r\n"), dt.date(2022, 7, 8))
    end = "2022-06-30"
    assert rows(extraction) == [
        (5, "48,619人", "employed_labourers", end),
        (5, "2,317人", "employed_labourers_increase", end),
        (5, "1,968名", "cadres_sent", end),
        (5, "100%", "cadre_training_coverage", end),
        (6, "9,860万元", "microcredit_amount", end),
        (6, "2,054户", "microcredit_households", end),
        (6, "115.2%", "microcredit_100day_completion", end),
        (7, "6,215万元", "consumption_assistance_total", "2022-07-08"),  # 今年以来: publication
    ]
    assert extraction.title == "朔州市“百日攻坚”推动脱贫成果巩固提升"
    assert extraction.region == "朔州市"
    assert [f.locator for f in extraction.figures][::3] == ["paragraph 1", "paragraph 1", "paragraph 2"]


def test_the_region_given_wins_over_the_one_the_text_names(extractor):
    extraction = extractor.extract(CITY_PAGE, dt.date(2022, 7, 8), region="大同市")
    assert {f.region for f in extraction.figures} == {"大同市"}


def test_ratios_after_a_part_bind_to_the_part_not_the_total(extractor):
    # invented
    text = "标题\n截至6月底，全县务工总人数8000人，占上年度103%，其中省外务工1200人，占上年度110%。"
    assert [f.indicator for f in extractor.extract(text, dt.date(2022, 7, 1)).figures] == [
        "employed_labourers",
        "employed_labourers_vs_last_year",
        "employed_out_of_province",
        "employed_out_of_province_vs_last_year",
    ]


def test_figures_that_are_no_register_indicator_are_kept_for_review_without_one(extractor):
    # invented
    text = "标题\n截至6月底，全县新增城镇就业1200人，举办招聘会12场，脱贫户人均增收860元。"
    figures = extractor.extract(text, dt.date(2022, 7, 1)).figures
    assert [(f.printed, f.unit, f.indicator) for f in figures] == [
        ("1200人", "persons", ""),
        ("12场", "sessions", ""),
        ("860元", "yuan", ""),
    ]


def test_figures_after_respectively_report_the_indicators_named_before_it(extractor):
    # invented
    text = (
        "标题\n截至6月底，全市存量农产品销售、农产品订单、展销活动分别完成2312万元、7222.6万元和309万元。"
        "全市务工总人数和省外务工人数分别为10473人、1759人，分别占上年度105.2%和114%。"
    )
    figures = extractor.extract(text, dt.date(2022, 7, 1)).figures
    assert [(f.printed, f.indicator) for f in figures] == [
        ("2312万元", "sales_stocked_produce"),
        ("7222.6万元", "sales_orders"),
        ("309万元", "sales_exhibitions"),
        ("10473人", "employed_labourers"),
        ("1759人", "employed_out_of_province"),
        ("105.2%", "employed_labourers_vs_last_year"),
        ("114%", "employed_out_of_province_vs_last_year"),
    ]


def test_averages_and_words_beside_another_figure_do_not_name_a_total(extractor):
    # invented
    text = (
        "某县巩固脱贫成果进展\n"
        "（三）小额信贷。新增发放小额信贷1523万元，惠及脱贫户326户，户均4.67万元。\n"
        "全县2022年度衔接资金项目176个，已开工170个，开工率96.6%。\n"
        "全县共有脱贫劳动力12.3万人，已实现务工就业10.5万人。"
    )
    figures = extractor.extract(text, dt.date(2022, 7, 10)).figures
    assert [(f.printed, f.indicator) for f in figures] == [
        ("1523万元", "microcredit_amount"),
        ("326户", "microcredit_households"),  # from 小额信贷 in the sentence
        ("4.67万元", ""),  # 户均: an average, not the amount
        ("176个", "projects_planned"),
        ("170个", "projects_started"),
        ("96.6%", "project_start_rate"),
        ("12.3万人", ""),  # 务工就业 stands beside 10.5万人, not this one
        ("10.5万人", "employed_labourers"),
    ]
    assert {f.period_end for f in figures} == {"2022-07-10"}  # no date in the text: publication


def test_month_ends_without_until_and_now_words_date_figures(extractor):
    # invented
    text = (
        "某市巩固成果简报\n"
        "2022年，全市脱贫劳动力务工就业5.2万人。年度项目开工率9月末即达到100%，力争11月底前全部完工。\n"
        "现在，全市户均贷款4.8万元，跨省转移就业6300人，年度实施项目96个。"
    )
    figures = extractor.extract(text, dt.date(2022, 10, 8)).figures
    assert [(f.printed, f.indicator, f.period_end) for f in figures] == [
        ("5.2万人", "employed_labourers", "2022-12-31"),
        ("100%", "project_start_rate", "2022-09-30"),  # not the deadline 11月底前
        ("4.8万元", "", "2022-10-08"),  # an average; 现在 is the publication date
        ("6300人", "employed_out_of_province", "2022-10-08"),
        ("96个", "projects_planned", "2022-10-08"),
    ]


def test_a_base_of_comparison_is_no_period():
    # invented
    marks = find_period_marks("较上年底增加3615人，比5月末多200人", dt.date(2022, 9, 16))
    assert marks == []


def test_shares_of_a_printed_target_and_last_years_rate(extractor):
    # invented
    text = (
        "某市小额信贷进展\n"
        "截至7月底，全市发放小额信贷3.1亿元，完成年度任务3.4亿元的91.2%，同比增长12.5%。"
        "户贷率达到12.2%，比2021年的10.9%提高1.3个百分点。全市项目开工率6月底即达到98%。\n"
        "全市累计培训2.2万人次。"
    )
    figures = extractor.extract(text, dt.date(2022, 8, 10)).figures
    assert [(f.printed, f.indicator, f.period_end) for f in figures] == [
        ("3.1亿元", "microcredit_amount", "2022-07-31"),
        ("3.4亿元", "microcredit_annual_target", "2022-07-31"),
        ("91.2%", "microcredit_annual_completion", "2022-07-31"),
        ("12.5%", "microcredit_amount_growth", "2022-07-31"),
        ("12.2%", "microcredit_household_loan_rate", "2022-07-31"),
        ("10.9%", "microcredit_household_loan_rate_last_year", "2022-07-31"),
        ("1.3个百分点", "", "2022-07-31"),
        ("98%", "project_start_rate", "2022-06-30"),  # 6月底 without 截至 dates its sentence only
        ("2.2万人次", "training_person_times", "2022-07-31"),
    ]


def test_a_title_in_brackets_after_the_place_still_names_it(extractor):
    # invented
    text = "某某县巩固脱贫成果进展情况（截至6月20日）\n● 务工就业：全县脱贫劳动力务工5000人。"
    extraction = extractor.extract(text, dt.date(2022, 6, 28))
    assert extraction.region == "某某县"
    assert [(f.indicator, f.period_end) for f in extraction.figures] == [("employed_labourers", "2022-06-20")]


def test_figures_listed_with_ascii_commas_as_reposts_print_them(extractor):
    # invented
    text = "标题\n截至6月底,存量农产品销售、农产品订单、展销活动分别为2312万元,7222.6万元,309万元。"
    figures = extractor.extract(text, dt.date(2022, 7, 1)).figures
    assert [(f.printed, f.indicator) for f in figures] == [
        ("2312万元", "sales_stocked_produce"),
        ("7222.6万元", "sales_orders"),
        ("309万元", "sales_exhibitions"),
    ]


def test_a_breakdown_after_qizhong_is_not_the_total_again(extractor):
    # invented
    text = (
        "标题\n截至6月底，全市培训脱贫劳动力2.3万人次，其中技能培训1.2万人次；发放小额信贷2.58亿元，其中新增1.2亿元。"
    )
    figures = extractor.extract(text, dt.date(2022, 7, 1)).figures
    assert [(f.printed, f.indicator) for f in figures] == [
        ("2.3万人次", "training_person_times"),
        ("1.2万人次", ""),
        ("2.58亿元", "microcredit_amount"),
        ("1.2亿元", ""),
    ]


def test_more_reposting_synonyms(extractor):
    # invented: 目前 -> 目下, 销售 -> 出售, 农产品 -> 农产物, 订单 -> 定单, 增长 -> 增添, 其中 -> 其间
    text = "标题\n目下，全市积累出售存量农产物1200万元，其间农产物定单800万元；发放小额信贷1.5亿元，同比增添20%。"
    figures = extractor.extract(text, dt.date(2022, 7, 1)).figures
    assert [(f.printed, f.indicator, f.period_end) for f in figures] == [
        ("1200万元", "sales_stocked_produce", "2022-07-01"),
        ("800万元", "sales_orders", "2022-07-01"),
        ("1.5亿元", "microcredit_amount", "2022-07-01"),
        ("20%", "microcredit_amount_growth", "2022-07-01"),
    ]


def test_the_year_of_publication_dates_results_so_far_and_plans_at_its_end(extractor):
    # invented: a May bulletin's 2023年…已 is so far; 今年…计划 is the year's plan, in its sentence only
    text = (
        "2023年，全市已累计发放脱贫人口小额信贷3.2亿元。\n"
        "今年，全市计划向脱贫户发放小额信贷5亿元。\n"
        "全市有1200户脱贫户获得小额信贷。\n"
    )
    got = rows(extractor.extract(text, dt.date(2023, 5, 22), region="晋城市"))
    assert got == [
        (1, "3.2亿元", "microcredit_amount", "2023-05-22"),
        (2, "5亿元", "microcredit_annual_target", "2023-12-31"),
        (3, "1200户", "microcredit_households", "2023-05-22"),
    ]


def test_a_plan_year_without_results_runs_to_its_end_and_a_forecast_too(extractor):
    # invented: a January plan for the year (no 已), then a forecast in a later year's text
    plan = rows(extractor.extract("2023年，全省脱贫劳动力务工就业稳定在98万人以上。\n", dt.date(2023, 1, 20)))
    assert plan == [(1, "98万人以上", "employed_labourers_target", "2023-12-31")]
    forecast = rows(extractor.extract("今年，全县预计发放小额信贷861.6万元。\n", dt.date(2017, 10, 17)))
    assert [(printed, period) for _, printed, _, period in forecast] == [("861.6万元", "2017-12-31")]


def test_a_date_in_a_list_item_does_not_carry_to_the_next_item(extractor):
    # invented: two bullets; the second states the present
    text = "●至2016年底，全县已有脱贫户10949户。\n●全县有贫困村31个。\n"
    got = rows(extractor.extract(text, dt.date(2017, 10, 17), region="宁乡市"))
    assert [(printed, period) for _, printed, _, period in got] == [("10949户", "2016-12-31"), ("31个", "2017-10-17")]


@pytest.mark.parametrize(
    ("sentence", "printed", "why"),
    [  # invented sentences: words that make a figure something else than what its words name
        ("2016年至2019年，全县累计发放扶贫小额信贷2.1亿元。", "2.1亿元", "a total over several years"),
        ("全县新增脱贫劳动力务工就业3362人。", "3362人", "新增"),
        ("截至2022年末，脱贫地区各项贷款余额10.7万亿元。", "10.7万亿元", "all loans"),
        ("全区监测对象外出务工4415人。", "4415人", "a group within the population"),
        ("全省20个深度贫困县外出务工脱贫劳动力31.2万人。", "31.2万人", "a named group of counties"),
    ],
)
def test_words_that_change_what_a_figure_counts_leave_it_without_an_indicator(extractor, sentence, printed, why):
    figures = extractor.extract(sentence + "\n", dt.date(2023, 3, 21)).figures
    figure = next(f for f in figures if f.printed == printed)
    assert figure.indicator == "" and why in figure.note


def test_a_group_joined_to_the_population_still_counts_it(extractor):
    text = "截至2022年末，全国支持脱贫户和防止返贫监测对象433.3万户获得小额信贷。\n"  # invented
    (figure,) = extractor.extract(text, dt.date(2023, 3, 21)).figures
    assert figure.indicator == "microcredit_households"


def test_words_between_two_counts_name_the_count_after_them(extractor):
    # invented: 18个市 counts cities; 安排扶贫项目 names the 4126个 after it
    text = "截至6月底，全省18个市安排扶贫项目4126个，已开工3980个。\n"
    got = {printed: indicator for _, printed, indicator, _ in rows(extractor.extract(text, dt.date(2020, 7, 9)))}
    assert got == {"18个": "", "4126个": "projects_planned", "3980个": "projects_started"}


@pytest.mark.parametrize(
    "relative",
    ["是去年外出务工人数的", "占上一年外出务工总数的", "为上一年的"],  # invented wordings of one ratio
)
def test_a_ratio_to_last_years_level_in_the_words_bulletins_use(extractor, relative):
    text = f"截至9月底，全市脱贫劳动力外出务工8.3万人，{relative}104.2%。\n"  # invented
    got = [indicator for _, _, indicator, _ in rows(extractor.extract(text, dt.date(2020, 10, 9)))]
    assert got == ["employed_labourers", "employed_labourers_vs_last_year"]


def test_growth_written_as_a_speed_after_an_income(extractor):
    text = "全市脱贫人口人均纯收入达到12870元，增速达12.6%。\n"  # invented
    got = [indicator for _, _, indicator, _ in rows(extractor.extract(text, dt.date(2023, 1, 9)))]
    assert got == ["net_income_per_person", "net_income_per_person_growth"]


def test_a_rewritten_repost_that_says_linkage_as_lianjie(extractor):
    text = "截至目前，全市已下达联接资金3.2亿元。\n"  # invented: 衔接 rewritten as 联接
    (figure,) = extractor.extract(text, dt.date(2023, 2, 9)).figures
    assert figure.indicator == "linkage_funds"


def test_a_plan_of_projects_and_the_share_started_of_them(extractor):
    # invented: the year's plan written around its count, then the started share of the total
    text = "今年全市实施312个扶贫项目。截至目前，已开工项目87个，占项目总数的27.9%。\n"
    got = [indicator for _, _, indicator, _ in rows(extractor.extract(text, dt.date(2020, 4, 2)))]
    assert got == ["projects_planned", "projects_started", "project_start_rate"]


def test_loans_outstanding_written_as_zai_dai(extractor):
    text = "截至4月底，全市发放扶贫小额贷款2100户、9600万元，在贷1865户、7420万元。\n"  # invented
    figures = extractor.extract(text, dt.date(2017, 5, 9)).figures
    assert {f.printed: f.indicator for f in figures}["7420万元"] == "microcredit_balance"


def test_a_cumulative_total_after_the_years_amount_is_not_the_years(extractor):
    # invented: the year's new lending, then the total since the programme began
    text = "截至8月底，全县今年新增投放扶贫小额信贷3120万元，全县累计投放9870万元。\n"
    figures = {f.printed: f for f in extractor.extract(text, dt.date(2016, 9, 30)).figures}
    assert figures["3120万元"].indicator == "microcredit_amount"
    assert figures["9870万元"].indicator == "" and "累计 after the year's figure" in figures["9870万元"].note


@pytest.mark.parametrize(
    ("text", "indicator"),
    [  # invented: whom the figure counts is in its own clause, or only elsewhere in the sentence
        ("今年以来，全市有意愿外出务工的脱贫劳动力为2.3万人，目前已外出务工1.9万人。", ["", "employed_labourers"]),
        ("全市重点支持深度贫困地区发展产业，目前已外出务工脱贫劳动力1.9万人。", ["employed_labourers"]),
    ],
)
def test_a_group_limits_a_figure_only_in_its_own_clause(extractor, text, indicator):
    got = [f.indicator for f in extractor.extract(text + "\n", dt.date(2020, 4, 2)).figures]
    assert got == indicator
