"""A count shown with a noun goes through ngettext / {% blocktranslate count %}: no "1 stores",
"1 handovers" or "follow-up(s)". Walks every translatable string of the code (the `_()` /
gettext family in Python, `{% translate %}` and `{% blocktranslate %}` in templates) and refuses a
number placeholder followed by a plural noun, or a "(s)", outside a plural form.

A limit ("at most %(n)s", "more than %(max)s rows") is always large and may stay singular-free."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GETTEXT = {"_", "gettext", "gettext_lazy", "gettext_noop", "pgettext", "pgettext_lazy"}
# Placeholders that hold a name, a date or a text, never a count.
NOT_COUNTS = {
    "value", "field", "name", "person", "item", "user", "tier", "v", "code", "col", "date", "store",
    "month", "title", "numbers", "customer", "number", "time", "day", "path", "department", "year", "who",
    "host", "address",
}  # fmt: skip
VERBS = {"is", "was", "has", "does", "hands", "accepts", "needs", "says", "opens", "closes"}
COUNTED = re.compile(r"%\((\w+)\)[sd] (\w+s)\b")
LIMIT = re.compile(r"(?:at most|more than|up to)\b[^;.]*$", re.IGNORECASE)
MAYBE_PLURAL = re.compile(r"\w\(s\)")


def offences(text: str) -> list[str]:
    found = [m.group(0) for m in MAYBE_PLURAL.finditer(text)]
    for m in COUNTED.finditer(text):
        name, word = m.groups()
        if name in NOT_COUNTS or word.lower() in VERBS or LIMIT.search(text[: m.start()]):
            continue
        found.append(m.group(0))
    return found


def python_strings():
    for path in sorted((ROOT / "apps").rglob("*.py")) + sorted((ROOT / "config").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name in GETTEXT:
                for arg in node.args:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        yield f"{path.relative_to(ROOT)}:{node.lineno}", arg.value


BLOCK = re.compile(r"{%\s*blocktrans(?:late)?\b(.*?)%}(.*?){%\s*endblocktrans(?:late)?\s*%}", re.S)
SIMPLE = re.compile(r"""{%\s*trans(?:late)?\s+(["'])(.*?)\1""")


def template_strings():
    dirs = [ROOT / "templates", *sorted((ROOT / "apps").glob("*/templates"))]
    for path in sorted(p for d in dirs for p in d.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for m in BLOCK.finditer(text):
            if re.search(r"\bcount\b", m.group(1)):
                continue
            body = re.sub(r"{{\s*(\w+)\s*}}", r"%(\1)s", m.group(2))
            yield f"{path.relative_to(ROOT)}", " ".join(body.split())
        for m in SIMPLE.finditer(text):
            yield f"{path.relative_to(ROOT)}", m.group(2)


def test_the_walk_reads_python_and_template_strings():
    assert sum(1 for _ in python_strings()) > 500
    assert sum(1 for _ in template_strings()) > 500


def test_no_count_is_shown_with_a_noun_outside_a_plural_form():
    found = [
        f"{where}: {text!r} ({', '.join(bad)})"
        for where, text in [*python_strings(), *template_strings()]
        if (bad := offences(text))
    ]
    assert not found, "\n".join(found)
