"""Registers validated as a whole before use (issue 19): each against its declared schema (pandera
for the CSV registers, pydantic for the YAML ones) and all against each other, every problem
naming its file, line and field. The broken registers are the project's own with invented edits."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from campaign.cli import main as campaign_main
from campaign.core.registers import RegisterError, Registers
from campaign.dataset.clean import clean


def checksums(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*.*")}


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def problems(data_dir: Path) -> list[str]:
    with pytest.raises(RegisterError) as caught:
        Registers.load(data_dir)
    return [str(p) for p in caught.value.problems]


def the_problem(data_dir: Path) -> str:
    [problem] = problems(data_dir)
    return problem


DATONG = "datong,大同市,Datong,prefecture,shanxi,comparison"


@pytest.mark.parametrize(
    ("register", "old", "new", "expected"),
    [
        # two slugs with one Chinese name: Datong's figures would become another region's
        (
            "regions.csv",
            DATONG,
            "datong,长治市,Datong,prefecture,shanxi,comparison",
            "data/regions.csv, line 5, field 'name_zh': '长治市': also on line 4: each name_zh names one region",
        ),
        # two rows with one slug (was blamed on a raw file)
        (
            "regions.csv",
            DATONG,
            "changzhi,大同市,Datong,prefecture,shanxi,comparison",
            "data/regions.csv, line 5, field 'slug': 'changzhi': also on line 4: each slug names one region",
        ),
        # an English name that is another region's slug
        (
            "regions.csv",
            DATONG,
            "datong,大同市,Changzhi,prefecture,shanxi,comparison",
            "data/regions.csv, line 5, field 'name_en': 'Changzhi': also on line 4",
        ),
        (
            "regions.csv",
            DATONG,
            "datong,大同市,changzhi,prefecture,shanxi,comparison",
            "data/regions.csv, line 5, field 'name_en': 'changzhi': also names region 'changzhi' (line 4)",
        ),
        # a bidi override in an English name would reverse the report's title
        (
            "regions.csv",
            DATONG,
            "datong,大同市,Da\u202etong,prefecture,shanxi,comparison",
            "data/regions.csv, line 5, field 'name_en': 'Da\\u202etong': control or invisible character U+202E",
        ),
        (  # a region inside itself, or inside a place of its own level: parents go up, never round
            "regions.csv",
            DATONG,
            "datong,大同市,Datong,prefecture,datong,comparison",
            "data/regions.csv, line 5, field 'parent': 'datong': a prefecture cannot hold a prefecture",
        ),
        (
            "regions.csv",
            "shanxi,山西省,Shanxi,province,china,comparison",
            "shanxi,山西省,Shanxi,province,changzhi,comparison",
            "data/regions.csv, line 3, field 'parent': 'changzhi': a prefecture cannot hold a province",
        ),
        (  # a letter by category that is drawn as nothing: two regions that read the same
            "regions.csv",
            DATONG,
            "datong,大同市,Datong\u3164,prefecture,shanxi,comparison",
            "data/regions.csv, line 5, field 'name_en': 'Datong\u3164': control or invisible character U+3164",
        ),
        (
            "regions.csv",
            DATONG,
            "datong,大同市,Datong,city,shanxi,comparison",
            "data/regions.csv, line 5, field 'level': 'city': unknown level (known: country, province, prefecture, county)",
        ),
        (
            "regions.csv",
            DATONG,
            "datong,大同市,Datong,prefecture,shanxi,",
            "data/regions.csv, line 5, field 'role': '': empty: a value is needed",
        ),
        (
            "regions.csv",
            DATONG,
            "datong,大同市,Datong,prefecture,hebei,comparison",
            "data/regions.csv, line 5, field 'parent': 'hebei': unknown region slug",
        ),
        (
            "regions.csv",
            DATONG,
            "Datong,大同市,Datong,prefecture,shanxi,comparison",
            "data/regions.csv, line 5, field 'slug': 'Datong': not a slug",
        ),
        # a duplicate source id credited the second publisher
        (
            "sources.csv",
            "\nnrra-2023-02-14,",
            "\nseed-changzhi-2022-09-05,",
            "data/sources.csv, line 3, field 'id': 'seed-changzhi-2022-09-05': also on line 2: each id names one source",
        ),
        (
            "sources.csv",
            ",2023-02-14,http",
            ",14/02/2023,http",
            "data/sources.csv, line 3, field 'date': '14/02/2023': not a date as YYYY-MM-DD",
        ),
        # YAML: types, unknown fields, nested lists, duplicate keys, anchors, syntax
        (
            "indicators.yml",
            "    nonnegative: true\n    aliases: [务工总人数,",
            "    nonnegative: yes please\n    aliases: [务工总人数,",
            "data/indicators.yml, line 79, field 'indicators[0].nonnegative': 'yes please': Input should be a valid boolean",
        ),
        (
            "indicators.yml",
            "    nonnegative: true\n    aliases: [务工总人数,",
            "    nonnegtive: true\n    aliases: [务工总人数,",
            "data/indicators.yml, line 79, field 'indicators[0].nonnegtive': True: unknown field",
        ),
        (
            "indicators.yml",
            "aliases: [务工总人数, 务工就业总人数,",
            "aliases: [务工总人数, [务工就业总人数, 务工],",
            "data/indicators.yml, line 80, field 'indicators[0].aliases[1]': Input should be a valid string",
        ),
        (
            "indicators.yml",
            "    unit: persons\n    measure: stock\n    nonnegative: true\n    aliases: [务工总人数,",
            "    unit: persns\n    measure: stock\n    nonnegative: true\n    aliases: [务工总人数,",
            "data/indicators.yml, line 77, field 'indicators[0].unit': 'persns': unknown unit",
        ),
        (
            "indicators.yml",
            "    task: employment\n    name_zh: 脱贫劳动力务工总人数",
            "    task: employment\n    task: sales\n    name_zh: 脱贫劳动力务工总人数",
            "data/indicators.yml, line 75, field 'indicators[0].task': the key 'task' appears twice (also on line 74)",
        ),
        (  # a merge key would add fields that no line of the entry shows
            "indicators.yml",
            "    task: employment\n    name_zh: 脱贫劳动力务工总人数",
            "    task: employment\n    <<: {nonnegative: false}\n    name_zh: 脱贫劳动力务工总人数",
            "data/indicators.yml, line 75, field 'indicators[0]': a merge key (<<) is not used in the registers",
        ),
        (
            "indicators.yml",
            "    name_en: Labourers from poverty-alleviated households in work\n",
            "    name_en: Labourers from poverty-alleviated households in work\u200b\n",
            "data/indicators.yml, line 76, field 'indicators[0].name_en'",
        ),
        (
            "indicators.yml",
            "  - id: employed_labourers_vs_last_year",
            "  - id: employed_labourers",
            "data/indicators.yml, line 81, field 'indicators[1].id': 'employed_labourers': the indicator is listed twice (also on line 73)",
        ),
        (
            "indicators.yml",
            "  - id: employed_labourers\n",
            "  - id: employed_labourers\n   x: [\n",
            "data/indicators.yml, line 74",
        ),
        (
            "campaign.yml",
            "tasks: [employment, projects",
            "tasks: [employment, projekts",
            "data/campaign.yml, line 12, field 'tasks[1]': 'projekts': unknown task",
        ),
        (
            "campaign.yml",
            "end: 2022-06-30",
            "end: 2022",
            "data/campaign.yml, line 11, field 'end': 2022: Value error, not a date as YYYY-MM-DD",
        ),
        # a rank without its unit or its places; a campaign whose source is not in sources.csv
        (
            "indicators.yml",
            "    unit: rank\n    relation: {kind: rank_of, of: microcredit_annual_completion, among: province}",
            "    unit: ratio\n    relation: {kind: rank_of, of: microcredit_annual_completion, among: province}",
            "data/indicators.yml, line 248, field 'indicators[21].unit': 'ratio': a rank (relation rank_of) and only",
        ),
        (
            "indicators.yml",
            "relation: {kind: rank_of, of: microcredit_annual_completion, among: province}",
            "relation: {kind: rank_of, of: microcredit_annual_completion}",
            "data/indicators.yml, line 249, field 'indicators[21].relation.among': a rank_of relation, and only one",
        ),
        (
            "indicators.yml",
            "relation: {kind: rank_of, of: microcredit_annual_completion, among: province}",
            "relation: {kind: rank_of, of: microcredit_annual_completion, among: county}",
            "data/indicators.yml, line 249, field 'indicators[21].relation.among': 'county': Input should be 'country'",
        ),
        (
            "campaign.yml",
            "source_id: seed-changzhi-2022-09-05\nadditions:",
            "source_id: no-such-source\nadditions:",
            "data/campaign.yml, line 13, field 'source_id': 'no-such-source': unknown source",
        ),
    ],
)
def test_a_register_that_breaks_its_schema_names_file_line_and_field(registers_dir, register, old, new, expected):
    edit(registers_dir / register, old, new)
    found = problems(registers_dir)
    assert found[0].startswith(expected), found
    assert len(found) == 1, found


def test_anchors_and_aliases_are_refused_before_they_are_expanded(registers_dir):
    # a "billion laughs" document: nine levels of nine aliases
    bomb = "".join(f"b{i}: &b{i} [" + ", ".join([f"*b{i - 1}"] * 9) + "]\n" for i in range(1, 10))
    (registers_dir / "campaign.yml").write_text("b0: &b0 [lol]\n" + bomb, encoding="utf-8")
    found = problems(registers_dir)
    assert found[0].startswith("data/campaign.yml, line 2, field 'b1[0]': anchors and aliases are not used"), found


def test_every_problem_of_every_register_is_listed_at_once(registers_dir):
    edit(registers_dir / "regions.csv", DATONG, "changzhi,大同市,Datong,prefecture,shanxi,comparison")
    edit(registers_dir / "sources.csv", "\nnrra-2023-02-14,", "\nseed-changzhi-2022-09-05,")
    edit(
        registers_dir / "indicators.yml",
        "    unit: persons\n    measure: stock\n    nonnegative: true\n    aliases: [务工总人数,",
        "    unit: 7\n    measure: stock\n    nonnegative: true\n    aliases: [务工总人数,",
    )
    found = problems(registers_dir)
    assert [p.split(", field")[0] for p in found] == [
        "data/indicators.yml, line 77",
        "data/regions.csv, line 5",
        "data/sources.csv, line 3",
    ]


def test_a_missing_role_column_is_an_error_not_a_comparison_region(registers_dir):
    # every region became a comparison region, with exit status 0
    regions = registers_dir / "regions.csv"
    lines = regions.read_text(encoding="utf-8").splitlines()
    regions.write_text("\n".join(line.rsplit(",", 1)[0] for line in lines) + "\n", encoding="utf-8")
    assert the_problem(registers_dir) == (
        "data/regions.csv, line 1, field 'role': missing column (the columns are slug, name_zh, name_en, level, parent, role)"
    )
    edit(regions, "slug,name_zh,name_en,level,parent", "slug,name_zh,name_en,level,parent,kind")
    lines = regions.read_text(encoding="utf-8").splitlines()
    regions.write_text("\n".join([lines[0], *(line + ",x" for line in lines[1:])]) + "\n", encoding="utf-8")
    assert "data/regions.csv, line 1, field 'kind': unknown column" in problems(registers_dir)[0]


def test_a_missing_column_or_register_or_a_folder_names_the_file(registers_dir):
    edit(registers_dir / "sources.csv", ",address\n", "\n")
    text = (registers_dir / "sources.csv").read_text(encoding="utf-8").splitlines()
    (registers_dir / "sources.csv").write_text(
        "\n".join([text[0], *(line.rsplit(",", 1)[0] for line in text[1:])]) + "\n"
    )
    assert the_problem(registers_dir).startswith("data/sources.csv, line 1, field 'address': missing column")
    (registers_dir / "campaign.yml").unlink()
    (registers_dir / "campaign.yml").mkdir()
    assert "data/campaign.yml: a folder, not a file" in problems(registers_dir)


def test_the_clean_step_and_run_id_stop_on_a_bad_register_with_one_line_and_change_nothing(data_dir, capsys):
    edit(data_dir / "regions.csv", DATONG, "datong,长治市,Datong,prefecture,shanxi,comparison")
    before = checksums(data_dir)
    with pytest.raises(RegisterError, match="data/regions.csv, line 5, field 'name_zh'"):
        clean(data_dir)
    assert campaign_main(["--data-dir", str(data_dir), "run-id"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.splitlines() == [
        "campaign: data/regions.csv, line 5, field 'name_zh': '长治市': also on line 4: each name_zh names one region"
    ]
    assert checksums(data_dir) == before


def test_the_project_registers_are_valid():
    registers = Registers.load(Path(__file__).resolve().parents[2] / "data")
    assert registers.regions["changzhi"].is_campaign_region and not registers.regions["datong"].is_campaign_region
    assert len({i.id for i in registers.indicators.values()}) == len(registers.indicators)


@pytest.mark.parametrize("kind", ["fifo", "link to a device", "oversized"])
def test_a_register_that_is_no_regular_file_is_refused_without_reading_it(registers_dir, kind):
    # read whole, a FIFO would wait for ever and /dev/zero fill the memory: both are refused at once
    import os

    path = registers_dir / "regions.csv"
    path.unlink()
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "link to a device":
        path.symlink_to("/dev/zero")
    else:
        with path.open("wb") as sparse:  # invented: 100 MB of nothing, no disk used
            sparse.truncate(100 * 1024 * 1024)
    expected = "more than a register's" if kind == "oversized" else "not a regular file"
    assert any(p.startswith("data/regions.csv") and expected in p for p in problems(registers_dir))


def test_a_list_as_a_yaml_key_is_a_problem_with_its_line(registers_dir):
    path = registers_dir / "campaign.yml"
    path.write_text("? [a, b]\n: x\n" + path.read_text(encoding="utf-8"), encoding="utf-8")  # invented key
    assert "data/campaign.yml, line 1: a key must be a plain name, not a list or a mapping" in problems(registers_dir)
