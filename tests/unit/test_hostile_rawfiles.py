"""One rule decides which raw files exist (issue 19): hidden entries and names that are not CSV
files are left out, every other entry must be a regular file with a safe name or is refused in
one line, and reading never follows a link, blocks on a FIFO or echoes a huge line. The rows
and files are invented for the tests; the good rows copy figures of the seed article."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import RAW_HEADER, write_raw

from campaign.dataset.clean import CleanError, clean
from campaign.dataset.rawfiles import raw_files, read_rows
from campaign.dataset.rawlist import main as rawfiles_main

SEED = "seed-changzhi-2022-09-05"
# 长治市 has no figure for 2022-05-31: a file that is read adds a region and period to the data
OTHER_ROW = f"长治市,2022-05-31,projects_in_bank,3000个,{SEED},paragraph 4,"


def checksums(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def periods(data_dir: Path) -> set[str]:
    return set(clean(data_dir).observations["period_end"])


def listed(data_dir: Path, capsys) -> tuple[int, str]:
    status = rawfiles_main(["--make", str(data_dir / "raw")])
    return status, capsys.readouterr().out.strip()


@pytest.mark.parametrize(
    "make_entry",
    [
        lambda raw: (raw / ".hidden.csv").write_text(RAW_HEADER + OTHER_ROW + "\n", encoding="utf-8"),
        lambda raw: (raw / ".#changzhi-2022-06-30-seed.csv").symlink_to("root@host.4242:1700000000"),  # emacs lock
        lambda raw: (raw / ".~lock.benchmarks-2022.csv#").write_text(",root,host,01.01.2024 10:00,\n"),  # LibreOffice
        lambda raw: (raw / "notes.txt").write_text("not data\n"),
        lambda raw: (raw / "changzhi-2022-06-30-seed.csv~").write_text(RAW_HEADER + OTHER_ROW + "\n"),
        lambda raw: (raw / "old").mkdir(),
    ],
    ids=["dot-file", "emacs-lock-link", "libreoffice-lock", "notes", "backup", "folder"],
)
def test_hidden_and_non_csv_entries_are_left_out_by_make_and_the_clean_step_alike(data_dir, capsys, make_entry):
    before = periods(data_dir)
    make_entry(data_dir / "raw")
    assert periods(data_dir) == before  # the clean step does not read it
    status, out = listed(data_dir, capsys)
    assert status == 0
    assert out.split() == [
        str(data_dir / "raw" / n)
        for n in (
            "benchmarks-2022-ranks.csv",
            "benchmarks-2022.csv",
            "changzhi-2022-06-30-practices.csv",
            "changzhi-2022-06-30-seed.csv",
        )
    ]


def _fifo(raw: Path) -> None:
    os.mkfifo(raw / "pipe.csv")


@pytest.mark.parametrize(
    ("make_entry", "expected"),
    [
        (lambda raw: write_raw(raw.parent, "my file.csv", [OTHER_ROW]), "data/raw/my file.csv: not a raw file name"),
        (lambda raw: write_raw(raw.parent, "a:b.csv", [OTHER_ROW]), "data/raw/a:b.csv: not a raw file name"),
        (lambda raw: write_raw(raw.parent, "Upper.csv", [OTHER_ROW]), "data/raw/Upper.csv: not a raw file name"),
        (lambda raw: write_raw(raw.parent, "x$(y).csv", [OTHER_ROW]), "data/raw/x$(y).csv: not a raw file name"),
        (lambda raw: (raw / "zero.csv").symlink_to("/dev/zero"), "data/raw/zero.csv: a symbolic link, not a file"),
        (lambda raw: (raw / "sub.csv").mkdir(), "data/raw/sub.csv: a folder, not a file"),
        (_fifo, "data/raw/pipe.csv: a FIFO (named pipe), not a file"),
    ],
    ids=["space", "colon", "upper-case", "dollar", "link-to-dev-zero", "folder", "fifo"],
)
def test_other_entries_are_refused_in_one_line_by_make_and_the_clean_step(data_dir, capsys, make_entry, expected):
    make_entry(data_dir / "raw")
    before = checksums(data_dir)
    with pytest.raises(CleanError) as caught:
        clean(data_dir)
    [problem] = caught.value.problems
    assert str(problem).startswith(expected), str(problem)
    status, out = listed(data_dir, capsys)
    assert status == 2 and out.endswith(str(problem).split(": ", 1)[1]) and "\n" not in out
    assert checksums(data_dir) == before


def test_a_link_to_a_csv_outside_the_project_is_refused_not_read(data_dir, tmp_path):
    outside = tmp_path / "elsewhere.csv"
    outside.write_text(RAW_HEADER + OTHER_ROW + "\n", encoding="utf-8")
    (data_dir / "raw" / "linked.csv").symlink_to(outside)
    with pytest.raises(CleanError, match=r"data/raw/linked.csv: a symbolic link, not a file"):
        clean(data_dir)
    with pytest.raises(CleanError, match="a symbolic link, not a file"):  # read_rows on its own too
        read_rows(data_dir / "raw" / "linked.csv", data_dir.parent)


def test_reading_a_fifo_or_a_folder_is_refused_without_waiting(tmp_path):
    os.mkfifo(tmp_path / "pipe.csv")
    (tmp_path / "folder.csv").mkdir()
    code = (
        "import sys; from campaign.dataset.rawfiles import read_rows, CleanError\n"
        "for name in ('pipe.csv', 'folder.csv'):\n"
        "    try: read_rows(sys.argv[1] + '/' + name)\n"
        "    except CleanError as e: print(e.first_line())\n"
    )
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert result.stdout.splitlines() == [
        f"{tmp_path}/pipe.csv: a FIFO (named pipe), not a file",
        f"{tmp_path}/folder.csv: a folder, not a file",
    ], result.stderr


def test_no_raw_folder_is_one_line(tmp_path):
    with pytest.raises(FileNotFoundError, match="no folder"):
        raw_files(tmp_path / "missing")


@pytest.mark.parametrize(("codec", "name"), [("utf-16-le", "UTF-16 LE"), ("utf-16-be", "UTF-16 BE")])
def test_utf16_without_a_byte_order_mark_is_named(registers_dir, codec, name):
    (registers_dir / "raw" / "wide.csv").write_bytes((RAW_HEADER + OTHER_ROW + "\n").encode(codec))
    with pytest.raises(CleanError) as caught:
        clean(registers_dir)
    [problem] = caught.value.problems
    assert f"looks like {name} without a byte order mark" in str(problem) and "save it as UTF-8" in str(problem)
    assert str(problem).startswith("data/raw/wide.csv, line 1")


def test_an_oversized_field_is_quoted_by_its_start_only(registers_dir):
    huge = "备注" * 500_000  # a 1,000,000-character note
    write_raw(registers_dir, "huge.csv", [OTHER_ROW[:-1] + huge])
    before = checksums(registers_dir)
    with pytest.raises(CleanError) as caught:
        clean(registers_dir)
    message = caught.value.first_line()
    assert message.startswith("data/raw/huge.csv, line 2, column '(row)': '长治市,2022-05-31")
    assert "longer than 131,072 characters" in message and len(message) < 300
    assert checksums(registers_dir) == before


def test_control_characters_are_found_in_a_large_file_on_their_line(registers_dir):
    rows = [OTHER_ROW.replace("2022-05-31", f"2021-{m:02d}-01") for m in range(1, 13)]
    rows[7] = rows[7].replace("paragraph 4", "paragraph\u202e 4")
    rows[9] = rows[9].replace("paragraph 4,", 'paragraph 4,"two\nlines"')
    write_raw(registers_dir, "many.csv", rows)
    with pytest.raises(CleanError) as caught:
        clean(registers_dir)
    assert [(p.line, p.column, p.reason.split(" at ")[0]) for p in caught.value.problems] == [
        (9, "locator", "control or invisible character U+202E (RIGHT-TO-LEFT OVERRIDE)"),
        (11, "note", "control or invisible character U+000A (LF, a line break)"),
    ]


def test_a_raw_file_too_large_to_read_is_one_line_before_it_is_read(registers_dir):
    from campaign.dataset.clean import CleanError, clean

    with (registers_dir / "raw" / "huge.csv").open("wb") as sparse:  # invented: 3 GB of nothing, no disk used
        sparse.truncate(3 * 1024**3)
    with pytest.raises(CleanError) as caught:
        clean(registers_dir)
    assert "data/raw/huge.csv" in str(caught.value) and "more than a raw file may hold" in str(caught.value)
