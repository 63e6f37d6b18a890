"""Extraction of printed figures: the seed article, and the parts (reading, layout, figures, periods, regions)."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from campaign.core.quantities import parse_quantity
from campaign.core.registers import Registers
from campaign.extract import Extractor
from campaign.extract.layout import BODY, DEBRIS, HEADING, TITLE, lay_out
from campaign.extract.periods import find_period_marks
from campaign.extract.printed import find_figures
from campaign.extract.reading import Normaliser, ReportError, decode, load_synonyms, read_report
from campaign.extract.regions import detect_region, english_name, pinyin_slug, region_level

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "extract"
SEED_TEXT = FIXTURES / "seed-changzhi-2022-09-05.txt"
SEED_RAW = DATA / "raw" / "changzhi-2022-06-30-seed.csv"


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(Registers.load(DATA), load_synonyms(DATA))


@pytest.fixture(scope="module")
def seed(extractor):
    return extractor.extract(read_report(SEED_TEXT), dt.date(2022, 9, 5))


# The seed article (real; its figures were typed by hand into data/raw) -------------------------


def test_seed_extraction_reproduces_every_figure_of_the_seed_file(seed):
    with SEED_RAW.open(encoding="utf-8", newline="") as handle:
        typed = [row for row in csv.DictReader(handle) if row["printed"]]
    assert len(typed) == 23  # 26 rows, 3 of them qualitative
    extracted = {(f.indicator, f.printed, f.period_end, f.locator, f.region) for f in seed.figures}
    for row in typed:
        key = (row["indicator"], row["printed"], row["period_end"], row["locator"], row["region"])
        assert key in extracted, row
    by_indicator = {f.indicator: f for f in seed.figures if f.indicator}
    for row in typed:
        figure, quantity = by_indicator[row["indicator"]], parse_quantity(row["printed"])
        assert (figure.value, figure.unit, figure.lower, figure.upper) == (
            quantity.value,
            quantity.unit,
            quantity.lower,
            quantity.upper,
        )
    assert by_indicator["employed_labourers_vs_last_year"].value == 1.0528  # a percentage is a ratio
    assert by_indicator["projects_started"].note.startswith("implied")  # 1766个全部开工建设


def test_seed_extraction_takes_nothing_else_with_an_indicator_and_nothing_from_the_debris(seed):
    assert len([f for f in seed.figures if f.indicator]) == 23
    # besides the 23, only the "131" service's own counts (1次, 3个以上, 1次), without an indicator
    assert sorted(f.printed for f in seed.figures if not f.indicator) == ["1次", "1次", "3个以上"]
    # the figures stand on the article's lines 7-11; the header (2-4) and the footer (13-17) give none
    assert {f.line for f in seed.figures} == {7, 8, 9, 10, 11}
    assert seed.title.startswith("长治市扎实开展") and seed.region == "长治市"
    assert {f.region for f in seed.figures} == {"长治市"}


def test_seed_layout_numbers_paragraphs_as_the_seed_file_locates_them():
    lines = Normaliser().lines(read_report(SEED_TEXT))
    roles = [(p.line.number, p.role, p.paragraph) for p in lay_out(lines)]
    assert roles[:5] == [(1, TITLE, None), (2, DEBRIS, None), (3, DEBRIS, None), (4, DEBRIS, None), (5, BODY, 1)]
    assert roles[6] == (7, BODY, 3)
    assert [role for _, role, _ in roles[12:]] == [DEBRIS] * 5


def test_figures_before_a_dated_expression_take_the_latest_one_before_them(seed):
    # paragraph 3 opens with 今年以来 (publication date); 截至6月底 comes after the "131" service
    early = [f for f in seed.figures if not f.indicator]
    assert {f.period_end for f in early} == {"2022-09-05"}


# Reading --------------------------------------------------------------------------------------


def test_reading_accepts_utf8_with_bom_and_gb18030(tmp_path):
    text = "截至6月底，全县培训2.3萬人次。\n"  # invented
    for name, data in [
        ("bom.txt", b"\xef\xbb\xbf" + text.encode("utf-8")),
        ("gb.txt", text.encode("gb18030")),
        ("plain.txt", text.encode("utf-8")),
    ]:
        (tmp_path / name).write_bytes(data)
        assert read_report(tmp_path / name) == text


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"ok\x80abc\xff", "not UTF-8 or GB18030"), (b"abc\x00def", "not a text file")],
)
def test_reading_rejects_what_is_not_text_with_the_file_named(tmp_path, data, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(ReportError, match=message) as caught:
        read_report(path)
    assert str(path) in str(caught.value)
    with pytest.raises(ReportError, match="no such file"):
        read_report(tmp_path / "missing.txt")
    assert decode("长治".encode()) == "长治"


def test_normalising_folds_traditional_and_full_width_and_undoes_synonyms_keeping_positions():
    # invented lines
    lines = Normaliser(load_synonyms(DATA)).lines("\n  \n停止６月底，個中省外務工１７５９９人，\u3000共１２個\n")
    assert [line.number for line in lines] == [1]
    line = lines[0]
    assert line.text == "截至6月底,其中省外务工17599人, 共12个"
    assert line.aligned and line.original_span(0, 5) == "停止６月底"


def test_synonyms_in_the_register_have_the_length_of_their_word():
    synonyms = load_synonyms(DATA)
    assert synonyms["停止"] == "截至" and synonyms["个中"] == "其中" and synonyms["事情"] == "工作"
    assert all(len(k) == len(v) for k, v in synonyms.items())


# Layout ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [  # invented page furniture
        "首页 > 新闻中心 > 本地要闻",
        "来源:晋中日报  发布时间:2022-07-08 16:42  浏览次数:1532次",
        "【字体:大 中 小】【打印】【关闭】",
        "分享到:微信 微博 QQ空间",
        "(责任编辑:王磊)",
        "主办:某市人民政府办公室 电话:0354-2021234 传真:0354-2021235",
        "晋ICP备05004321号-2 晋公网安备14060202000088号",
        "Copyright © 2022 某市人民政府 版权所有",
        "2022-07-08 16:42:10",
        "2022年7月8日",
        "上一篇:某市新增就业岗位3000个",
    ],
)
def test_page_furniture_is_debris(line):
    lines = Normaliser().lines("某市推进百日攻坚\n截至6月底，全市培训2000人次。\n" + line)
    assert lay_out(lines)[-1].role == DEBRIS


def test_everything_after_the_page_tail_begins_is_debris():
    # invented: related headlines after the article carry figures of their own
    text = "标题\n截至6月底，全市培训2000人次。\n相关新闻\n某县消费帮扶突破3000万元\n某县培训5000人次"
    paragraphs = lay_out(Normaliser().lines(text))
    assert [p.role for p in paragraphs] == [TITLE, BODY, DEBRIS, DEBRIS, DEBRIS]


def test_short_label_lines_are_headings_and_count_as_paragraphs():
    text = "某县百日攻坚进展\n一、务工就业\n全县务工1200人。"  # invented
    paragraphs = lay_out(Normaliser().lines(text))
    assert [(p.role, p.paragraph) for p in paragraphs] == [(TITLE, None), (HEADING, 1), (BODY, 2)]


# Figures --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "printed", "value", "unit", "approximate"),
    [  # invented phrases
        ("全市培训约2.3万人次", "约2.3万人次", 23000, "person_times", True),
        ("带动3.2万脱贫人口增收", "3.2万脱贫人口", 32000, "persons", False),
        ("惠及1.5万脱贫户", "1.5万脱贫户", 15000, "households", False),
        ("近5万户", "近5万户", 50000, "households", True),
        ("1万余人", "1万余人", 10000, "persons", True),
        ("3000多户", "3000多户", 3000, "households", True),
        ("超过5000户", "超过5000户", 5000, "households", True),
        ("投入1.2億元", "1.2亿元", 1.2e8, "yuan", False),
        ("占上年度105.28%", "105.28%", 1.0528, "ratio", False),
        ("提高3.4个百分点", "3.4个百分点", 3.4, "percentage_points", False),
        ("共3,344个", "3,344个", 3344, "items", False),
        ("共 2.58 亿元", "2.58亿元", 2.58e8, "yuan", False),
        ("三千三百四十四个", "三千三百四十四个", 3344, "items", False),
        ("两万余人", "两万余人", 20000, "persons", True),
        ("近万人次", "近万人次", 10000, "person_times", True),
        ("百分之九十五", "百分之九十五", 0.95, "ratio", False),
        ("带动120家企业", "120家", 120, "enterprises", False),
        ("种植3500亩", "3500亩", 3500, "mu", False),
        ("发电56万千瓦时", "56万千瓦时", 560000, "kwh", False),
        ("举办招聘会46场", "46场", 46, "sessions", False),
        ("宣讲326场次", "326场次", 326, "times", False),
        ("提供3个以上岗位", "3个以上", 3, "items", True),
        ("开展检查12批次", "12批次", 12, "batches", False),
        ("发放宣传资料12.6万份", "12.6万份", 126000, "copies", False),
        ("走访农户3.2万户次", "3.2万户次", 32000, "household_times", False),
        ("组建宣讲队伍156支", "156支", 156, "teams", False),
        ("收购土豆50万公斤", "50万公斤", 500000, "kg", False),
        ("已支出6840万元", "6840万元", 6.84e7, "yuan", False),
    ],
)
def test_printed_figures_are_found_with_their_qualifiers_and_units(text, printed, value, unit, approximate):
    text = Normaliser().lines(text)[0].text
    [figure] = find_figures(text)
    assert (figure.printed, figure.unit, figure.quantity.approximate) == (printed, unit, approximate)
    assert figure.quantity.value == pytest.approx(value)


@pytest.mark.parametrize(
    "text",
    [  # invented: dates, times, years, ranks, list numbers, names, codes
        "2022年9月5日14时30分",
        "发布时间:2022-09-05 14:29:28",
        "2022年度",
        "位居全省第二",
        "排名全省第4名",
        "全省第2位",
        "进入全国前3名",
        "第3期培训班",
        "第十二期",
        "1.全县推进",
        "(2)项目建设",
        "“131”精准就业服务",
        "“5+1重点任务”",
        "5+1项任务",
        "“3个100%”",
        "《关于做好2022年30项重点工作的通知》",
        "党的十八大以来",
        "两不愁三保障",
        "五项重点工作",
        "一是抓就业",
        "电话:0355-2021234",
        "晋ICP备05001234号-1",
        "3个月内完成",
        "5个工作日",
        "一头连着山区农村",
    ],
)
def test_dates_ranks_list_numbers_names_and_codes_are_not_figures(text):
    assert find_figures(Normaliser().lines(text)[0].text) == []


# Periods --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [  # invented phrases
        ("截至6月底,全市", "2022-09-05", "2022-06-30"),
        ("截止到2022年8月31日", "2022-09-05", "2022-08-31"),
        ("停止7月底", "2022-08-20", "2022-07-31"),  # a reposting tool's word for 截至
        ("到今年5月末", "2022-09-05", "2022-05-31"),
        ("从3月下旬至6月底", "2022-09-05", "2022-06-30"),
        ("截至2022年底", "2023-02-14", "2022-12-31"),
        ("截至12月底", "2023-01-10", "2022-12-31"),
        ("截至六月底", "2022-09-05", "2022-06-30"),
        ("上半年,全市", "2022-07-20", "2022-06-30"),
        ("1-8月,全市", "2022-09-10", "2022-08-31"),
        ("2022年,全国", "2023-02-14", "2022-12-31"),
        ("截至目前", "2022-09-05", "2022-09-05"),
        ("目前,全市", "2022-09-05", "2022-09-05"),
        ("今年以来", "2022-09-05", "2022-09-05"),
        ("比上年末增加", "2022-09-05", None),
        ("截至6月31日", "2022-09-05", None),
    ],
)
def test_period_expressions_give_their_date(text, published, expected):
    marks = find_period_marks(text, dt.date.fromisoformat(published))
    assert [m.date.isoformat() for m in marks] == ([expected] if expected else [])


def test_reposted_synonym_and_undated_words_beside_a_date():
    line = Normaliser(load_synonyms(DATA)).lines("停止7月底,今年以来全市培训2000人次")[0]  # invented
    marks = find_period_marks(line.text, dt.date(2022, 8, 20))
    assert [(m.words, m.date.isoformat()) for m in marks] == [("截至7月底", "2022-07-31")]


# Regions --------------------------------------------------------------------------------------


def test_pinyin_slugs_drop_the_suffix_and_stay_unique():
    assert pinyin_slug("晋城市") == "jincheng"
    assert pinyin_slug("武乡县") == "wuxiang"
    assert pinyin_slug("晋城县", {"jincheng"}) == "jincheng-xian"
    assert pinyin_slug("吕梁市") == "lvliang"
    assert english_name("jincheng") == "Jincheng"
    assert (region_level("晋城市"), region_level("武乡县"), region_level("山西省")) == (
        "prefecture",
        "county",
        "province",
    )


@pytest.mark.parametrize(
    ("text", "region"),
    [  # invented openings
        ("晋城市扎实推进百日攻坚\n截至6月底,全市培训2000人次。", "晋城市"),
        ("武乡县百日攻坚进展情况\n截至5月底,全县培训800人次。", "武乡县"),
        ("百日攻坚取得实效\n截至6月底,大同市培训2000人次,大同市共有……", "大同市"),
        ("巩固脱贫成果取得新进展\n2022年,全国脱贫劳动力务工就业3277.9万人。", "中国"),
    ],
)
def test_the_region_is_the_place_the_text_names(text, region):
    paragraphs = [p for p in lay_out(Normaliser().lines(text)) if p.role != DEBRIS]
    assert detect_region(paragraphs, Registers.load(DATA)) == region


@pytest.mark.parametrize(
    "line",
    [
        "【字号 大 中 小】",
        "当前位置：首页 > 要闻",
        "您是本站第12345位访客",
        "当前在线人数：35人",
        "繁体版 | 简体版 | 长者模式",
    ],
)
def test_more_page_furniture_is_debris(line):
    # invented
    lines = Normaliser().lines("某市推进百日攻坚\n截至6月底，全市培训2000人次。\n" + line)
    assert lay_out(lines)[-1].role == DEBRIS


def test_a_table_row_is_no_menu():
    # invented
    lines = Normaliser().lines("某县百日攻坚进展\n务工就业 | 104731人 | 105.28%")
    assert lay_out(lines)[-1].role != DEBRIS
