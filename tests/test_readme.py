"""The README works from a fresh clone: every file or folder it names is in the repository."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_path_the_readme_names_is_in_the_repository():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    named = {
        m.rstrip("/")
        for m in re.findall(r"`([^`\s]+)`", readme)
        if re.search(r"(^\.\.?/|/|\.(md|sh|py|toml|lock|yml)$)", m) and not m.startswith("/")
    }
    # Placeholders (`<name>_bench.py`) name a pattern, not a file.
    named = {n for n in named if "<" not in n}
    assert "docs/design.md" in named
    # A bare file name is looked for in the folders the README talks about.
    folders = ("", "benchmarks", "scripts", "docs")
    missing = sorted(n for n in named if not any((ROOT / d / n).exists() for d in folders))
    assert missing == [], f"the README names paths a clone does not have: {missing}"
