"""`campaign extract` against hostile and broken input (issues 18 and 19): reviewed rows only, all
or nothing, no digit that was never printed, linear work, one clear line per failure. Every text
and row here is invented for the tests."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import write_raw

from campaign.cli import main
from campaign.core.quantities import QuantityParseError, parse_quantity
from campaign.core.quantity_columns import parse_quantities
from campaign.core.registers import Registers
from campaign.dataset.clean import CleanError, clean
from campaign.extract import Extractor
from campaign.extract.reading import load_synonyms
from campaign.extract.review import read_review, review_text

DATA = Path(__file__).resolve().parents[2] / "data"
# Invented: a new city's short report.
REPORT = """\
晋中市百日攻坚成效明显
截至6月底，全市带动4.6万脱贫劳动力务工就业，占上年度103.5%。
全市为2460户脱贫户和监测户发放小额信贷1.21亿元。
"""


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()
    }


def run(data_dir: Path, *args) -> int:
    return main(["--data-dir", str(data_dir), "extract", *map(str, args)])


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def report(tmp_path: Path) -> Path:
    path = tmp_path / "jinzhong.txt"
    path.write_text(REPORT, encoding="utf-8")
    return path


def review_file(data_dir: Path, report: Path, tmp_path: Path, mark: str | None = "ok", edit=None) -> Path:
    review = tmp_path / "review.csv"
    assert run(data_dir, report, "--published", "2022-07-15", "--output", review, "--force") == 0
    rows = read_rows(review)
    for row in rows:
        if mark is not None and row["indicator"]:
            row["review"] = mark
    if edit:
        edit(rows)
    write_rows(review, rows)
    return review


def refused(data_dir: Path, capsys, *args) -> str:
    before = digest(data_dir)
    assert run(data_dir, *args) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert digest(data_dir) == before  # nothing in data/ changed
    return err


# --write writes only reviewed rows -----------------------------------------------------------


def test_the_extraction_marks_every_row_unreviewed_and_doubtful_ones_uncertain(data_dir, report, tmp_path, capsys):
    review = review_file(data_dir, report, tmp_path, mark=None)
    rows = read_rows(review)
    assert {row["review"] for row in rows} <= {"unreviewed", "uncertain"}
    first = rows[0]
    assert first["indicator"] == "employed_labourers" and "务工" in first["why"]  # the words that gave it


def test_write_refuses_an_unreviewed_file(data_dir, report, tmp_path, capsys):
    review = review_file(data_dir, report, tmp_path, mark=None)
    capsys.readouterr()
    err = refused(data_dir, capsys, report, "--published", "2022-07-15", "--write", "--reviewed", review)
    assert "has not been reviewed: no row is marked 'ok'" in err


def test_write_refuses_rows_left_unreviewed_or_uncertain(data_dir, report, tmp_path, capsys):
    def leave_two(rows):
        rows[1]["review"] = "uncertain"
        rows[2]["review"] = "unreviewed"

    review = review_file(data_dir, report, tmp_path, edit=leave_two)
    capsys.readouterr()
    err = refused(data_dir, capsys, report, "--published", "2022-07-15", "--write", "--reviewed", review)
    assert f"{review}, line 3: '103.5%' left marked uncertain" in err
    assert f"{review}, line 4: '2460户' not reviewed" in err


@pytest.mark.parametrize(
    ("row", "changes", "expected"),
    [  # each row of the review file changed by hand (invented), and the refusal naming it
        (0, {"printed": "5.6万人"}, "line 2: '5.6万人' is not printed in line 2 of the report"),  # 4.6万 is
        (2, {"printed": "460户", "value": "460"}, "line 4: '460户' is not printed in line 3 of the report"),  # 2460户
        (
            0,
            {"note": "read as 9.9万人", "value": "99000"},  # the extraction wrote: read as 4.6万人
            "line 2: the note's 'read as 9.9万人' is not how the extraction reads '4.6万脱贫劳动力' in line 2",
        ),
    ],
)
def test_a_reviewed_figure_must_be_printed_in_its_line_as_the_extraction_reads_it(
    data_dir, report, tmp_path, capsys, row, changes, expected
):
    def edit(rows):
        assert rows[0]["note"] == "read as 4.6万人"
        rows[row].update(changes)

    review = review_file(data_dir, report, tmp_path, edit=edit)
    capsys.readouterr()
    err = refused(data_dir, capsys, report, "--published", "2022-07-15", "--write", "--reviewed", review)
    assert f"{review}, {expected}" in err


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [  # what the clean step refuses is refused before anything is written
        ("period_end", "2022-12-31", "after"),  # later than the source's publication (2022-07-15)
        ("locator", "paragraph\u200b1", "data/raw/"),  # an invisible character
    ],
)
def test_write_refuses_what_the_clean_step_would_refuse_and_writes_nothing(
    data_dir, report, tmp_path, capsys, field, value, expected
):
    def edit(rows):
        rows[0][field] = value

    review = review_file(data_dir, report, tmp_path, edit=edit)
    before = digest(data_dir)
    capsys.readouterr()
    err = refused(data_dir, capsys, report, "--published", "2022-07-15", "--write", "--reviewed", review)
    assert "would not pass the clean step, so nothing was written" in err and expected in err, err
    assert digest(data_dir) == before


def test_a_reviewed_value_must_be_the_reading_of_the_printed_figure(data_dir, report, tmp_path, capsys):
    def edit(rows):
        rows[1]["value"] = "1.2"  # 103.5% reads as 1.035

    review = review_file(data_dir, report, tmp_path, edit=edit)
    capsys.readouterr()
    err = refused(data_dir, capsys, report, "--published", "2022-07-15", "--write", "--reviewed", review)
    assert f"{review}, line 3: value 1.2 is not what '103.5%' reads as (1.035)" in err


# all or nothing --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--slug", "../../../../../tmp/x"], "a slug is lower-case a-z, 0-9 and single hyphens"),
        (["--slug", "Jin Zhong"], "a slug is lower-case"),
        (["--source", "../x"], "a source id is lower-case"),
        (["--publisher", "晋中\u202e日报"], "holds a control or invisible character"),
        (["--parent", "火星省"], "--parent '火星省': unknown region"),
    ],
)
def test_invalid_slug_source_or_details_write_nothing_not_even_a_register_row(
    data_dir, report, tmp_path, capsys, args, message
):
    review = review_file(data_dir, report, tmp_path)
    capsys.readouterr()
    err = refused(data_dir, capsys, report, "--published", "2022-07-15", "--write", "--reviewed", review, *args)
    assert message in err and err.count("\n") == 1
    assert not Path("/tmp/x").exists() or not any(Path("/tmp/x").glob("*2022-07-15*.csv"))


def test_when_the_raw_file_cannot_be_created_the_registers_are_left_as_they_were(data_dir, report, tmp_path, capsys):
    review = review_file(data_dir, report, tmp_path)
    capsys.readouterr()
    target = data_dir / "raw" / "jinzhong-2022-06-30-jinzhong-2022-07-15.csv"
    # a raw file the clean step reads is where the new one would go (a copy of the seed's)
    seed = next(p for p in sorted((data_dir / "raw").glob("*.csv")) if p != target)
    target.write_bytes(seed.read_bytes())
    err = refused(data_dir, capsys, report, "--published", "2022-07-15", "--write", "--reviewed", review)
    assert "exists; raw files are never overwritten" in err
    assert "jinzhong" not in (data_dir / "regions.csv").read_text(encoding="utf-8")
    assert "jinzhong-2022-07-15" not in (data_dir / "sources.csv").read_text(encoding="utf-8")


def test_output_is_never_written_inside_data_nor_over_a_file_unless_forced(data_dir, report, tmp_path, capsys):
    seed_raw = data_dir / "raw" / "changzhi-2022-06-30-seed.csv"
    err = refused(data_dir, capsys, report, "--published", "2022-07-15", "--output", seed_raw)
    assert "is inside the data folder" in err
    err = refused(data_dir, capsys, report, "--published", "2022-07-15", "--output", data_dir / "new.csv", "--force")
    assert "is inside the data folder" in err
    existing = tmp_path / "mine.csv"
    existing.write_text("keep me", encoding="utf-8")
    err = refused(data_dir, capsys, report, "--published", "2022-07-15", "--output", existing)
    assert f"{existing} exists; give --force to replace it" in err and existing.read_text() == "keep me"
    assert run(data_dir, report, "--published", "2022-07-15", "--output", existing, "--force") == 0
    assert existing.read_text(encoding="utf-8-sig").startswith("line,printed")


# the review CSV is spreadsheet-safe ------------------------------------------------------------


def test_the_review_csv_defuses_formulas_and_reading_it_back_undoes_it(data_dir, tmp_path, capsys):
    report = tmp_path / "formula.txt"
    report.write_text('标题\n=HYPERLINK("http://x.invalid","点击")全市务工1200人。\n', encoding="utf-8")
    review = tmp_path / "review.csv"
    assert run(data_dir, report, "--published", "2022-07-15", "--output", review) == 0
    [row] = read_rows(review)
    assert row["sentence"].startswith("'=HYPERLINK(")  # a spreadsheet shows it as text
    [back] = read_review(review)
    assert back["sentence"].startswith("=HYPERLINK(") and back["printed"] == "1200人"


# printed figures read only as printed ----------------------------------------------------------


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(Registers.load(DATA), load_synonyms(DATA))


def test_a_superscript_is_never_read_into_a_figure(extractor):
    text = "标题\n截至6月底，全县务工2850²名，开展宣传①3393次，共１２００人次。"
    figures = extractor.extract(text, dt.date(2022, 7, 1)).figures
    values = {f.printed: f.value for f in figures}
    assert values["2850²名"] == 2850 and 28502 not in values.values()
    assert values["3393次"] == 3393 and 13393 not in values.values()  # ① is a list mark before it
    assert values["1200人次"] == 1200  # full-width digits are digits
    flagged = next(f for f in figures if f.printed == "2850²名")
    assert flagged.uncertain and "'²' after 2850 is no digit" in flagged.note
    assert "uncertain" in review_text([flagged])


@pytest.mark.parametrize(
    "printed",
    # invented: superscripts, list marks, fractions, and characters NFKC folds into numerals
    # (〸, a Hangzhou numeral; ⼆⼗, Kangxi radicals), or a digit of another script (٣, 𝟒)
    ["2850²名", "①3393次", "⑴5人", "½万元", "3³户", "〸万人", "⼆⼗万元", "٣4人", "𝟒5人"],
)
def test_the_shared_parser_refuses_a_character_that_is_no_digit_as_printed(printed):
    with pytest.raises(QuantityParseError, match="is not a digit as printed") as caught:
        parse_quantity(printed)
    assert repr(printed) in str(caught.value)
    with pytest.raises(ValueError, match="is not a digit as printed"):
        parse_quantities(__import__("pandas").Series([printed, "12人"]))
    assert parse_quantity("２８５０名").value == 2850


@pytest.mark.parametrize("printed", ["2850 2名", "1、234人", "12 000人"])
def test_digits_apart_are_two_numbers_not_one(printed):
    # invented: a space or an enumeration comma between digits would be folded away into one number
    with pytest.raises(QuantityParseError, match="between digits makes two numbers"):
        parse_quantity(printed)
    assert parse_quantity("2.58 亿元").value == 2.58e8  # a space before the magnitude is fine


def test_a_digit_of_another_script_before_a_figure_is_listed_for_review(extractor):
    text = "标题\n截至6月底，全县务工٣4人，务工𝟒5人。"  # invented
    figures = {f.printed: f for f in extractor.extract(text, dt.date(2022, 7, 1)).figures}
    assert figures["4人"].uncertain and "'٣' before 4人" in figures["4人"].note
    assert figures["5人"].uncertain and "'𝟒' before 5人" in figures["5人"].note


def test_a_raw_cell_with_a_superscript_is_an_error_quoting_it(registers_dir):
    seed = "seed-changzhi-2022-09-05"
    write_raw(registers_dir, "bad.csv", [f"长治市,2022-06-30,employed_labourers,2850²名,{seed},paragraph 3,"])
    with pytest.raises(CleanError) as caught:
        clean(registers_dir)
    assert "data/raw/bad.csv, line 2, column 'printed': '2850²名'" in str(caught.value)


# linear work -----------------------------------------------------------------------------------


@pytest.mark.parametrize("run_of", ["7" * 40_000, "一" * 20_000, "十" * 20_000, "1," * 20_000, "十" * 20_000 + "人"])
def test_long_runs_of_digits_or_numerals_are_no_figure_and_hide_none(extractor, run_of):
    # correctness only: bench/extract.py prints how long such runs take
    text = f"标题\n截至6月底，{run_of}，全县务工1200人，占上年度103%。"
    figures = extractor.extract(text, dt.date(2022, 7, 1)).figures
    assert [(f.printed, f.indicator) for f in figures][-2:] == [
        ("1200人", "employed_labourers"),
        ("103%", "employed_labourers_vs_last_year"),
    ]


# one clear line per failure --------------------------------------------------------------------


def test_a_nested_list_as_an_alias_is_one_line_naming_file_and_indicator(data_dir, report, capsys):
    register = data_dir / "indicators.yml"
    text = register.read_text(encoding="utf-8")
    register.write_text(
        text.replace("aliases: [省外务工,", "aliases: [[省外务工, 外省务工], 省外务工,", 1), encoding="utf-8"
    )
    err = refused(data_dir, capsys, report, "--published", "2022-07-15")
    assert err.count("\n") == 1
    # the registers' schema (campaign.core.register_schemas) names the file, line and field
    assert "data/indicators.yml, line" in err and "aliases[0]" in err and "valid string" in err


SEED_TEXT = Path(__file__).resolve().parents[1] / "fixtures" / "extract" / "seed-changzhi-2022-09-05.txt"


@pytest.mark.parametrize(
    ("text", "codec", "order"),
    [
        (lambda: REPORT, "utf-16-le", "little-endian"),
        (lambda: REPORT, "utf-16-be", "big-endian"),
        # Chinese text has few NUL bytes (一 is 00 4E), and without an ASCII character none, where
        # GB18030 would read most of its bytes as other characters
        (lambda: SEED_TEXT.read_text(encoding="utf-8"), "utf-16-le", "little-endian"),
        (lambda: "长治市脱贫劳动力务工就业人数稳中有升", "utf-16-le", "little-endian"),
        (lambda: "长治市脱贫劳动力务工就业人数稳中有升", "utf-16-be", "big-endian"),
    ],
    ids=["le", "be", "seed-le", "no-ascii-le", "no-ascii-be"],
)
def test_an_undeclared_utf16_file_names_the_encoding(data_dir, tmp_path, capsys, text, codec, order):
    path = tmp_path / "utf16.txt"
    path.write_bytes(text().encode(codec))
    err = refused(data_dir, capsys, path, "--published", "2022-07-15")
    assert f"{path}: looks like UTF-16 ({order}) without a byte order mark" in err and err.count("\n") == 1


def test_a_fifo_given_as_the_report_is_refused_without_waiting(data_dir, tmp_path):
    fifo = tmp_path / "report.txt"
    os.mkfifo(fifo)
    code = "import sys; from campaign.cli import main; sys.exit(main(sys.argv[1:]))"
    args = ["--data-dir", str(data_dir), "extract", str(fifo), "--published", "2022-07-15"]
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr == f"campaign extract: {fifo}: is a FIFO (named pipe), not a text file\n"


def test_an_oversized_field_in_a_review_file_is_one_short_line(data_dir, report, tmp_path, capsys):
    review = review_file(data_dir, report, tmp_path)
    rows = read_rows(review)
    rows[0]["note"] = "x" * 1_000_000
    write_rows(review, rows)
    capsys.readouterr()
    err = refused(data_dir, capsys, report, "--published", "2022-07-15", "--write", "--reviewed", review)
    assert "a field longer than the CSV limit" in err and err.count("\n") == 1 and len(err) < 400


def test_a_folder_given_as_the_review_file_is_one_line(data_dir, report, tmp_path, capsys):
    err = refused(data_dir, capsys, report, "--published", "2022-07-15", "--write", "--reviewed", tmp_path)
    assert f"{tmp_path}: is a folder, not a text file" in err and err.count("\n") == 1


def test_a_failure_while_writing_undoes_the_raw_file_and_the_registers(data_dir, report, tmp_path, capsys, monkeypatch):
    import campaign.extract.datafiles as datafiles

    review = review_file(data_dir, report, tmp_path)
    capsys.readouterr()
    calls = []

    def full_disk(source, target):
        calls.append(target)
        if len(calls) == 2:  # the second register cannot be replaced
            raise OSError(28, "No space left on device", str(target))
        return real_replace(source, target)

    real_replace = datafiles.os.replace
    monkeypatch.setattr(datafiles.os, "replace", full_disk)
    err = refused(data_dir, capsys, report, "--published", "2022-07-15", "--write", "--reviewed", review)
    assert "No space left on device" in err and len(calls) == 2
    assert not list((data_dir / "raw").glob("jinzhong-*")) and not list((data_dir / "raw").glob(".*"))
