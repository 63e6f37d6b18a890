"""Which entries of data/raw are raw files: the one rule that make and the clean step share.

- Hidden names (a leading '.': editor lock files .#x.csv and .~lock.x.csv#, swap files,
  .gitkeep) and names that do not end in .csv (notes, backups x.csv~ and x.csv.bak, subfolders)
  are left out.
- Every other entry is a raw file, and must be a regular file (not a link, folder, FIFO or
  device) named with lower-case letters, digits, '.', '_' and '-' (RAW_NAME); anything else is
  refused, so that no entry is read by one step and not seen by another.

build.mk lists the raw files with ``python -m campaign.dataset.rawlist --make data/raw``, which
every make runs: this module imports nothing but the standard library's basics, and opens no
entry (a FIFO cannot make it wait).
"""

from __future__ import annotations

import os
import re
import stat
import sys

RAW_NAME = re.compile(r"[a-z0-9][a-z0-9._-]*\.csv")
NAME_RULE = "raw file names are lower-case letters, digits, '.', '_' and '-', ending in .csv"


def ignored_name(name: str) -> bool:
    """An entry of data/raw that the rule leaves out: hidden, or not named as a CSV file."""
    return name.startswith(".") or not name.lower().endswith(".csv")


def file_kind(mode: int) -> str:
    """What a directory entry that is not a regular file is, in words (from its mode)."""
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def list_entries(raw_dir: str) -> tuple[list[str], list[tuple[str, str]]]:
    """(raw file names, [(refused name, why)]) of the folder, in name order. OSError when the
    folder cannot be listed."""
    files, refused = [], []
    for entry in sorted(os.scandir(raw_dir), key=lambda entry: entry.name):
        if ignored_name(entry.name):
            continue
        mode = entry.stat(follow_symlinks=False).st_mode
        if not RAW_NAME.fullmatch(entry.name):
            refused.append(
                (entry.name, f"not a raw file name ({NAME_RULE}): rename it, or start it with '.' to leave it out")
            )
        elif not stat.S_ISREG(mode):
            kind = file_kind(mode)
            refused.append(
                (entry.name, f"{kind}, not a file: raw files are regular files in the folder itself (copy it in)")
            )
        else:
            files.append(entry.name)
    return files, refused


def write_listing(path: str, files: list[str]) -> None:
    """The raw files' names, one per line, into ``path``, only when they differ from what it holds
    (then atomically): make's clean step depends on it, so that a raw file added with an old time,
    or deleted, runs the clean step again, and nothing else does."""
    text = "".join(f"{name}\n" for name in files)
    try:
        with open(path, encoding="utf-8") as current:
            if current.read() == text:
                return
    except OSError:
        pass
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    temporary = f"{path}.{os.getpid()}.tmp"
    with open(temporary, "w", encoding="utf-8") as listing:
        listing.write(text)
    os.replace(temporary, path)


def main(argv: list[str] | None = None) -> int:
    """``python -m campaign.dataset.rawlist [--make] [--listing FILE] FOLDER``: the raw files of
    FOLDER, one per line; with --make on one line for build.mk, or the first refusal on one line
    of standard output (build.mk shows it with $(error)) and exit status 2; with --listing, their
    names also go into FILE when they changed (``write_listing``)."""
    args = list(sys.argv[1:] if argv is None else argv)
    for_make = args[:1] == ["--make"]
    args = args[for_make:]
    listing = None
    if args[:1] == ["--listing"] and len(args) >= 2:
        listing, args = args[1], args[2:]
    folder = args[-1] if args else os.path.join("data", "raw")
    out = sys.stdout if for_make else sys.stderr
    try:
        files, refused = list_entries(folder)
    except OSError as error:
        print(f"{folder}: cannot list the raw files: {error.strerror}", file=out)
        return 2
    if refused:
        name, reason = refused[0]
        more = f" (and {len(refused) - 1} more)" if len(refused) > 1 else ""
        print(f"{os.path.join(folder, name)}: {reason}{more}", file=out)
        return 2
    if not files:
        print(f"no raw CSV files in {folder}", file=out)
        return 2
    if listing is not None:
        try:
            write_listing(listing, files)
        except OSError as error:
            print(f"{listing}: cannot write the list of raw files: {error.strerror}", file=out)
            return 2
    print((" " if for_make else "\n").join(os.path.join(folder, name) for name in files))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
