"""Type checks the project with mypy against `mypy-baseline.txt`, a list that may only shrink.

The baseline holds the errors the tree had when type checking started, one line per error, as
`path: [code] message` with no line number, so that an edit elsewhere in a file does not disturb
an entry; an error that occurs twice in a file is listed twice.

    .venv/bin/python scripts/mypy_check.py           # fails on an error the baseline does not list,
                                                     # and on entries that no longer occur
    .venv/bin/python scripts/mypy_check.py --update  # removes the entries that no longer occur

`--update` never adds an entry: a new error is fixed, or (rarely, and visibly in review) added by
hand. mypy's settings are under `[tool.mypy]` in pyproject.toml; its cache is in var/mypy_cache.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "mypy-baseline.txt"
HEADER = """\
# mypy errors the tree had when type checking started: `path: [code] message`, no line numbers.
# This list may only shrink. `scripts/mypy_check.py --update` drops the entries that no longer
# occur; a new error is fixed rather than added here.
"""

# `path:line[:column]: error: message  [code]`
ERROR_LINE = re.compile(
    r"^(?P<path>[^:\s][^:]*):\d+(?::\d+)?: error: (?P<message>.*?)(?:  \[(?P<code>[a-z0-9-]+)\])?$"
)
# Messages that name another line ("already defined on line 12") would move with every edit above it.
LINE_REFERENCE = re.compile(r"\bline \d+\b")


def entries_from_output(output: str) -> Counter[str]:
    """The errors in mypy's output, each as a baseline entry, counted."""
    found: Counter[str] = Counter()
    for line in output.splitlines():
        match = ERROR_LINE.match(line.rstrip())
        if match:
            message = LINE_REFERENCE.sub("line N", match["message"])
            found[f"{match['path']}: [{match['code'] or 'misc'}] {message}"] += 1
    return found


def read_baseline(text: str) -> Counter[str]:
    return Counter(line for line in text.splitlines() if line.strip() and not line.startswith("#"))


def render_baseline(entries: Counter[str]) -> str:
    return HEADER + "".join(f"{entry}\n" for entry in sorted(entries.elements()))


def compare(baseline: Counter[str], found: Counter[str]) -> tuple[Counter[str], Counter[str]]:
    """(errors mypy reports beyond the baseline, baseline entries mypy no longer reports)."""
    return found - baseline, baseline - found


def shrunk(baseline: Counter[str], found: Counter[str]) -> Counter[str]:
    """The baseline without the entries that no longer occur; never with an entry it did not have."""
    return baseline & found


def moved_entries(new: Counter[str], gone: Counter[str]) -> list[tuple[str, str, str]]:
    """(old path, new path, "[code] message") for a new error whose code and message match an
    entry that no longer occurs in another file: code moved between modules."""
    gone_by_rest: dict[str, list[str]] = {}
    for entry in gone.elements():
        path, rest = entry.split(": ", 1)
        gone_by_rest.setdefault(rest, []).append(path)
    moved = []
    for entry in sorted(new.elements()):
        path, rest = entry.split(": ", 1)
        if gone_by_rest.get(rest):
            moved.append((gone_by_rest[rest].pop(0), path, rest))
    return moved


def run_mypy() -> tuple[int, str]:
    command = [sys.executable, "-m", "mypy", "--no-pretty", "--no-color-output", "--show-error-codes"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    return result.returncode, result.stdout + result.stderr


def show(title: str, entries: Iterable[str]) -> None:
    print(title)
    for entry in entries:
        print(f"  {entry}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="drop the entries that no longer occur")
    args = parser.parse_args(argv)

    status, output = run_mypy()
    # 0: clean, 1: type errors; anything else is mypy failing to run (bad config, crash).
    if status not in (0, 1):
        print(output)
        print(f"!! mypy did not run (exit status {status})", file=sys.stderr)
        return 2
    found = entries_from_output(output)
    if status == 1 and not found:
        print(output)
        print("!! mypy failed without reporting an error this script understands", file=sys.stderr)
        return 2
    baseline = read_baseline(BASELINE.read_text(encoding="utf-8")) if BASELINE.exists() else Counter()
    new, gone = compare(baseline, found)

    if args.update:
        if gone:
            BASELINE.write_text(render_baseline(shrunk(baseline, found)), encoding="utf-8")
            print(f"mypy baseline: {gone.total()} entries that no longer occur removed")
        else:
            print("mypy baseline: nothing to remove")
    failed = False
    if new:
        failed = True
        show(f"!! mypy: {new.total()} errors not in {BASELINE.name} (fix them):", sorted(new.elements()))
        print("   where they are:")
        for line in output.splitlines():
            match = ERROR_LINE.match(line.rstrip())
            if match and new[entries_from_output(line).most_common(1)[0][0]]:
                print(f"   {line}")
    if gone and not args.update:
        failed = True
        show(
            f"!! mypy: {gone.total()} errors in {BASELINE.name} no longer occur; shrink the baseline "
            "with `.venv/bin/python scripts/mypy_check.py --update`:",
            sorted(gone.elements()),
        )
    moved = moved_entries(new, gone)
    if moved:
        show(
            "   these look moved to another file (same code and message): edit their paths in "
            f"{BASELINE.name} by hand, in the commit that moves the code:",
            [f"{old_path} -> {new_path}: {rest}" for old_path, new_path, rest in moved],
        )
    if not failed:
        print(f"mypy: no errors beyond the {found.total()} in {BASELINE.name}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
