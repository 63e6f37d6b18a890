"""`campaign extract`: the command line, and --write into a temporary copy of the data folder."""

from __future__ import annotations

import csv
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from campaign.cli import main
from campaign.dataset.clean import clean
from campaign.dataset.rawfiles import RAW_COLUMNS

# Invented: a new city's report (Jinzhong has no figures in the project's data).
NEW_CITY = """\
晋中市百日攻坚成效明显
发布时间：2022-07-15 10:20  来源：晋中新闻网
截至6月底，全市带动4.6万脱贫劳动力务工就业，占上年度103.5%。全市项目库储备项目1520个，纳入年度计划项目812个全部开工建设。
全市为2460户脱贫户和监测户发放小额信贷1.21亿元。新增城镇就业3000人。
"""
RAW_NAME = "jinzhong-2022-06-30-jinzhong-2022-07-15.csv"


def digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*.csv")}


def run(data_dir: Path, *args: str) -> int:
    return main(["--data-dir", str(data_dir), "extract", *map(str, args)])


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def reviewed(data_dir: Path, report: Path, folder: Path, published: str = "2022-07-15", mark: str = "ok") -> Path:
    """A review file of ``report`` with every row that has an indicator marked ``mark`` by the reviewer."""
    review = folder / f"{report.stem}-review.csv"
    assert run(data_dir, report, "--published", published, "--output", review, "--force") == 0
    rows = read_csv(review)
    for row in rows:
        if row["indicator"]:
            row["review"] = mark
    write_csv(review, rows)
    return review


def write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def report(tmp_path: Path) -> Path:
    path = tmp_path / "jinzhong.txt"
    path.write_text(NEW_CITY, encoding="utf-8")
    return path


def test_without_write_the_review_goes_to_stdout_and_data_is_untouched(data_dir, report, capsys):
    before = digest(data_dir)
    assert run(data_dir, report, "--published", "2022-07-15") == 0
    out = capsys.readouterr().out
    assert (
        out.splitlines()[0]
        == "line,printed,value,unit,lower,upper,approximate,indicator,why,review,region,period_end,sentence,locator,note"
    )
    rows = list(csv.DictReader(out.splitlines()))
    first = rows[0]
    assert (first["line"], first["printed"], first["value"], first["unit"], first["indicator"]) == (
        "3",
        "4.6万脱贫劳动力",
        "46000",
        "persons",
        "employed_labourers",
    )
    assert (first["region"], first["period_end"], first["locator"]) == ("晋中市", "2022-06-30", "paragraph 1")
    assert first["note"] == "read as 4.6万人"
    assert [r["printed"] for r in rows][-1] == "3000人" and rows[-1]["indicator"] == ""
    assert digest(data_dir) == before


def test_write_adds_a_raw_file_the_source_and_the_region_and_the_clean_step_accepts_them(
    data_dir, report, tmp_path, capsys
):
    raw_before = digest(data_dir / "raw")
    review = reviewed(data_dir, report, tmp_path)
    code = run(
        data_dir, report, "--published", "2022-07-15", "--write", "--reviewed", review, "--publisher", "晋中新闻网"
    )
    assert code == 0, capsys.readouterr().err
    err = capsys.readouterr().err
    assert "wrote 7 figures" in err and "1 rows without an indicator were for review only" in err

    written = data_dir / "raw" / RAW_NAME
    assert written.read_text(encoding="utf-8").splitlines()[0] == ",".join(RAW_COLUMNS)
    rows = read_csv(written)
    assert [(r["indicator"], r["printed"], r["locator"]) for r in rows] == [
        ("employed_labourers", "4.6万人", "paragraph 1"),
        ("employed_labourers_vs_last_year", "103.5%", "paragraph 1"),
        ("projects_in_bank", "1520个", "paragraph 1"),
        ("projects_planned", "812个", "paragraph 1"),
        ("projects_started", "812个", "paragraph 1"),
        ("microcredit_households", "2460户", "paragraph 2"),
        ("microcredit_amount", "1.21亿元", "paragraph 2"),
    ]
    assert {(r["region"], r["period_end"], r["source_id"]) for r in rows} == {
        ("晋中市", "2022-06-30", "jinzhong-2022-07-15")
    }
    assert rows[0]["note"] == "printed as 4.6万脱贫劳动力"
    assert rows[4]["note"].startswith("implied")
    # the files that were there are as they were
    assert {k: v for k, v in digest(data_dir / "raw").items() if k != RAW_NAME} == raw_before

    region = read_csv(data_dir / "regions.csv")[-1]
    assert region == {
        "slug": "jinzhong",
        "name_zh": "晋中市",
        "name_en": "Jinzhong",
        "level": "prefecture",
        "parent": "",
        "role": "campaign",
    }
    source = read_csv(data_dir / "sources.csv")[-1]
    assert source == {
        "id": "jinzhong-2022-07-15",
        "publisher": "晋中新闻网",
        "publisher_zh": "晋中新闻网",
        "title": "晋中市百日攻坚成效明显",
        "title_zh": "晋中市百日攻坚成效明显",
        "date": "2022-07-15",
        "address": "not recorded",
    }

    observations = clean(data_dir).observations
    jinzhong = observations[observations["region"] == "jinzhong"]
    assert len(jinzhong) == 7
    assert jinzhong.set_index("indicator").at["employed_labourers", "value"] == 46000


def test_write_refuses_figures_already_there_and_files_that_exist(data_dir, report, tmp_path, capsys):
    review = reviewed(data_dir, report, tmp_path)
    assert run(data_dir, report, "--published", "2022-07-15", "--write", "--reviewed", review) == 0
    capsys.readouterr()
    after_first = digest(data_dir)
    assert run(data_dir, report, "--published", "2022-07-15", "--write", "--reviewed", review) == 2
    err = capsys.readouterr().err
    assert "employed_labourers for 晋中市 2022-06-30 is already in" in err and RAW_NAME in err
    assert f"{review}, line 2" in err  # the offending row is named
    assert digest(data_dir) == after_first

    # the seed's figures are there already too
    seed = Path(__file__).resolve().parents[1] / "fixtures" / "extract" / "seed-changzhi-2022-09-05.txt"
    seed_review = reviewed(data_dir, seed, tmp_path, "2022-09-05")
    args = ["--published", "2022-09-05", "--write", "--reviewed", seed_review, "--source", "seed-changzhi-2022-09-05"]
    assert run(data_dir, seed, *args) == 2
    assert "changzhi-2022-06-30-seed.csv" in capsys.readouterr().err
    assert digest(data_dir) == after_first


def test_write_reads_the_raw_files_as_the_clean_step_does(data_dir, report, tmp_path, capsys):
    # A raw file the clean step reads (GB18030 here) still holds figures that are already there;
    # an entry it refuses (a FIFO, which an open() waits on for ever) is refused by name at once.
    review = reviewed(data_dir, report, tmp_path)
    assert run(data_dir, report, "--published", "2022-07-15", "--write", "--reviewed", review) == 0
    capsys.readouterr()
    written = data_dir / "raw" / RAW_NAME
    written.write_bytes(written.read_text(encoding="utf-8").encode("gb18030"))
    assert clean(data_dir) is not None  # the clean step reads it
    before = digest(data_dir)
    assert run(data_dir, report, "--published", "2022-07-15", "--write", "--reviewed", review) == 2
    assert "employed_labourers for 晋中市 2022-06-30 is already in" in capsys.readouterr().err
    assert digest(data_dir) == before

    os.mkfifo(data_dir / "raw" / "pipe.csv")
    code = (
        "import sys; from campaign.cli import main\n"
        "sys.exit(main(['--data-dir', sys.argv[2], 'extract', sys.argv[1], '--published', '2022-07-15',"
        " '--write', '--reviewed', sys.argv[3]]))"
    )
    args = [sys.executable, "-c", code, str(report), str(data_dir), str(review)]
    result = subprocess.run(args, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "raw/pipe.csv: a FIFO (named pipe), not a file" in result.stderr, result.stderr
    assert len(result.stderr.splitlines()) == 1
    (data_dir / "raw" / "pipe.csv").unlink()
    assert digest(data_dir) == before


def test_reviewed_rows_are_written_as_the_analyst_left_them(data_dir, report, tmp_path, capsys):
    review = tmp_path / "review.csv"
    assert run(data_dir, report, "--published", "2022-07-15", "--output", review) == 0
    rows = read_csv(review)
    # the analyst drops the implied row, leaves the town jobs out and adds a qualitative fact;
    # the spreadsheet saved one date its own way
    rows = [r for r in rows if not r["note"].startswith("implied")]
    rows[0]["period_end"] = "2022/6/30"
    rows.append({**rows[0], "printed": "", "indicator": "publicity_full_coverage", "note": "every village reached"})
    for row in rows:
        row["review"] = "ok"
    write_csv(review, rows)
    code = run(data_dir, report, "--published", "2022-07-15", "--write", "--reviewed", review, "--source", "jz-news")
    assert code == 0, capsys.readouterr().err
    written = read_csv(data_dir / "raw" / "jinzhong-2022-06-30-jz-news.csv")
    assert [r["indicator"] for r in written] == [
        "employed_labourers",
        "employed_labourers_vs_last_year",
        "projects_in_bank",
        "projects_planned",
        "microcredit_households",
        "microcredit_amount",
        "publicity_full_coverage",
    ]
    assert read_csv(data_dir / "sources.csv")[-1]["title"] == "晋中市百日攻坚成效明显"  # the text's title line
    assert written[-1]["printed"] == "" and written[-1]["note"] == "every village reached"


def test_a_wrong_reviewed_row_is_named_and_nothing_is_written(data_dir, report, tmp_path, capsys):
    review = reviewed(data_dir, report, tmp_path)
    text = review.read_text(encoding="utf-8-sig")
    text = text.replace(",employed_labourers_vs_last_year,", ",microcredit_amount,", 1)
    review.write_text(text.replace(",projects_in_bank,", ",projects_in_the_sky,", 1), encoding="utf-8")
    before = digest(data_dir)
    assert run(data_dir, report, "--published", "2022-07-15", "--write", "--reviewed", review) == 2
    err = capsys.readouterr().err
    assert f"{review}, line 3: '103.5%': the counter gives ratio, but the indicator is measured in yuan" in err
    assert f"{review}, line 4: unknown indicator 'projects_in_the_sky'" in err
    assert digest(data_dir) == before


def test_a_new_region_gets_the_campaign_role(data_dir, report, tmp_path):
    regions = data_dir / "regions.csv"  # role is a required column of the register (issue 19)
    review = reviewed(data_dir, report, tmp_path)
    assert (
        run(data_dir, report, "--published", "2022-07-15", "--write", "--reviewed", review, "--parent", "山西省") == 0
    )
    assert read_csv(regions)[-1] == {
        "slug": "jinzhong",
        "name_zh": "晋中市",
        "name_en": "Jinzhong",
        "level": "prefecture",
        "parent": "shanxi",
        "role": "campaign",
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.txt", "--published", "2022-07-15"], "missing.txt: no such file"),
        (["{report}", "--published", "15/07/2022"], "{report}: --published '15/07/2022' is not a date as YYYY-MM-DD"),
        (["--published", "2022-07-15"], "give the report's text file"),
        (
            [
                "{report}",
                "--published",
                "2022-07-15",
                "--write",
                "--reviewed",
                "{review}",
                "--slug",
                "../../../../tmp/x",
            ],
            "--slug '../../../../tmp/x': a slug is lower-case a-z, 0-9 and single hyphens",
        ),
        (["{report}", "--published", "2022-07-15", "--source", "Bad Id"], "--source 'Bad Id': a source id is"),
        (["{report}", "--published", "2022-07-15", "--write"], "--write writes reviewed rows only"),
        (["{report}", "--published", "2022-07-15", "--output", "{folder}"], "--output names a folder"),
        (["{report}", "--published", "2022-07-15", "--output", "{review}"], "exists; give --force to replace it"),
        (["{folder}", "--published", "2022-07-15"], "is a folder, not a text file"),
    ],
)
def test_bad_input_gives_one_line_naming_the_file_and_exits_non_zero(data_dir, report, tmp_path, capsys, args, message):
    review = reviewed(data_dir, report, tmp_path)
    capsys.readouterr()
    args = [a.format(report=report, review=review, folder=tmp_path) for a in args]
    before = digest(data_dir)
    assert run(data_dir, *args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message.format(report=report) in err and "Traceback" not in err
    assert digest(data_dir) == before


def test_a_headline_figure_gives_way_to_the_texts_own(data_dir, tmp_path, capsys):
    # invented: the headline rounds the figure the text gives
    report = tmp_path / "linfen.txt"
    report.write_text(
        "临汾市脱贫劳动力务工规模突破12万人\n截止目前，全市脱贫人口务工规模达到12.08万人。\n", encoding="utf-8"
    )
    review = reviewed(data_dir, report, tmp_path, "2022-09-16")
    assert run(data_dir, report, "--published", "2022-09-16", "--write", "--reviewed", review) == 0, (
        capsys.readouterr().err
    )
    [row] = read_csv(data_dir / "raw" / "linfen-2022-09-16-linfen-2022-09-16.csv")
    assert (row["indicator"], row["printed"], row["locator"]) == ("employed_labourers", "12.08万人", "paragraph 1")


def test_a_publication_date_after_today_is_refused(data_dir, report, tmp_path, capsys):
    before = digest(data_dir)
    assert run(data_dir, report, "--published", "2099-01-01", "--output", tmp_path / "r.csv") != 0
    assert "--published '2099-01-01' is after today" in capsys.readouterr().err
    assert digest(data_dir) == before and not (tmp_path / "r.csv").exists()


def test_a_region_named_in_traditional_characters_is_the_registered_one(data_dir, report, tmp_path, capsys):
    review = reviewed(data_dir, report, tmp_path)
    rows = read_csv(review)
    for row in rows:
        row["region"] = "長治市"  # invented: the reviewer gives 长治市 in traditional characters
    write_csv(review, rows)
    regions_before = (data_dir / "regions.csv").read_bytes()
    run(data_dir, report, "--published", "2022-07-15", "--write", "--reviewed", review)
    assert (data_dir / "regions.csv").read_bytes() == regions_before  # no second Changzhi (zhangzhi)
    assert "zhangzhi" not in capsys.readouterr().err
