"""scripts/mypy_check.py: mypy's errors are matched against a baseline that may only shrink.

The script itself runs in `make lint` and CI (scripts/lint.sh); these tests pin its rules on
made-up mypy output, without running mypy."""

import importlib.util
import re
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("mypy_check", ROOT / "scripts" / "mypy_check.py")
assert _spec and _spec.loader
mypy_check = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mypy_check)

OUTPUT = """\
apps/a.py:10: error: Item "None" of "X | None" has no attribute "y"  [union-attr]
apps/a.py:10: note: See https://mypy.rtfd.io
apps/b.py:3: error: Name "f" already defined on line 1  [no-redef]
Found 2 errors in 2 files (checked 3 source files)
"""


@pytest.fixture
def baseline_file(tmp_path, monkeypatch):
    path = tmp_path / "mypy-baseline.txt"
    monkeypatch.setattr(mypy_check, "BASELINE", path)
    return path


def given_mypy_says(monkeypatch, output: str, status: int = 1) -> None:
    monkeypatch.setattr(mypy_check, "run_mypy", lambda: (status, output))


def test_an_error_is_matched_by_file_code_and_message_not_by_line():
    moved = OUTPUT.replace("apps/a.py:10:", "apps/a.py:57:").replace("on line 1", "on line 40")
    assert mypy_check.entries_from_output(moved) == mypy_check.entries_from_output(OUTPUT)
    assert mypy_check.entries_from_output(OUTPUT) == Counter(
        {
            'apps/a.py: [union-attr] Item "None" of "X | None" has no attribute "y"': 1,
            'apps/b.py: [no-redef] Name "f" already defined on line N': 1,
        }
    )


def test_the_same_error_once_more_in_a_file_is_a_new_error(monkeypatch, baseline_file, capsys):
    baseline_file.write_text(mypy_check.render_baseline(mypy_check.entries_from_output(OUTPUT)))
    twice = OUTPUT + 'apps/a.py:80: error: Item "None" of "X | None" has no attribute "y"  [union-attr]\n'
    given_mypy_says(monkeypatch, twice)
    assert mypy_check.main([]) == 1
    out = capsys.readouterr().out
    assert "1 errors not in" in out
    assert "apps/a.py:80:" in out  # where the new one is


def test_the_check_passes_when_mypy_reports_exactly_the_baseline(monkeypatch, baseline_file):
    baseline_file.write_text(mypy_check.render_baseline(mypy_check.entries_from_output(OUTPUT)))
    given_mypy_says(monkeypatch, OUTPUT)
    assert mypy_check.main([]) == 0


def test_a_fixed_error_fails_the_check_until_the_baseline_is_shrunk(monkeypatch, baseline_file, capsys):
    baseline_file.write_text(mypy_check.render_baseline(mypy_check.entries_from_output(OUTPUT)))
    fixed = "\n".join(line for line in OUTPUT.splitlines() if "apps/b.py" not in line)
    given_mypy_says(monkeypatch, fixed)
    assert mypy_check.main([]) == 1
    assert "--update" in capsys.readouterr().out

    assert mypy_check.main(["--update"]) == 0
    assert "apps/b.py" not in baseline_file.read_text()
    assert mypy_check.main([]) == 0


def test_update_never_adds_an_entry(monkeypatch, baseline_file):
    baseline_file.write_text(mypy_check.render_baseline(Counter()))
    given_mypy_says(monkeypatch, OUTPUT)
    assert mypy_check.main(["--update"]) == 1  # the new errors still fail
    assert mypy_check.read_baseline(baseline_file.read_text()) == Counter()


def test_mypy_failing_to_run_is_a_failure_not_a_clean_tree(monkeypatch, baseline_file):
    baseline_file.write_text(mypy_check.render_baseline(Counter()))
    given_mypy_says(monkeypatch, "pyproject.toml: [mypy]: Unrecognized option", status=2)
    assert mypy_check.main([]) == 2
    given_mypy_says(monkeypatch, "Traceback (most recent call last): ...", status=1)
    assert mypy_check.main([]) == 2


def test_the_committed_baseline_is_sorted_and_has_no_line_numbers():
    lines = [
        ln for ln in (ROOT / "mypy-baseline.txt").read_text().splitlines() if ln and not ln.startswith("#")
    ]
    assert lines == sorted(lines)
    entry = re.compile(r"^[\w./-]+\.py: \[[a-z0-9-]+\] .+$")
    assert [ln for ln in lines if not entry.match(ln) or re.match(r"^[^:]+:\d+", ln)] == []


def test_code_moved_to_another_module_is_shown_as_moved_not_only_as_new(monkeypatch, baseline_file, capsys):
    baseline_file.write_text(mypy_check.render_baseline(mypy_check.entries_from_output(OUTPUT)))
    given_mypy_says(monkeypatch, OUTPUT.replace("apps/b.py", "apps/c.py"))
    assert mypy_check.main([]) == 1  # still edited by hand: --update never adds
    assert 'apps/b.py -> apps/c.py: [no-redef] Name "f" already defined on line N' in capsys.readouterr().out
