"""HTML is built by templates or `format_html`, never by string formatting (CONVENTIONS habit 11).

Walks every Python module under apps/ and config/ with `ast`, and every template directory:
- a response or a "safe" string (`HttpResponse`, `mark_safe`, `format_html`, `SafeString`, ...) is
  never made from an f-string, `%` formatting, `.format()` or `+` concatenation with data: those skip
  Django's escaping (`format_html(f"...")` too: the data is already in the format string);
- no f-string, `%` or `.format()` has markup (`<tag`) in its literal text: markup built that way
  is one forgotten `escape()` away from a stored script;
- a template marks a value `|safe` (or switches autoescaping off) only for the constants listed here.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CODE_DIRS = [ROOT / "apps", ROOT / "config"]
# Calls whose result is sent as HTML or trusted as markup.
SINKS = {
    "HttpResponse",
    "HttpResponseBadRequest",
    "HttpResponseForbidden",
    "HttpResponseNotFound",
    "HttpResponseServerError",
    "mark_safe",
    "format_html",
    "format_html_join",
    "SafeString",
    "SafeText",
}
TAG = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9-]*(?:[\s/>]|$)")
# Values a template may print unescaped: constants of the code, never data.
SAFE_IN_TEMPLATES = {"CJK_FONT_STACK"}


def modules() -> list[Path]:
    return sorted(p for d in CODE_DIRS for p in d.rglob("*.py") if "migrations" not in p.parts)


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def formatted(node: ast.AST) -> bool:
    """An f-string with a value in it, `... % ...`, `"...".format(...)` or a `+` of strings."""
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.FormattedValue) for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        left = node.left
        return (
            _is_str(left)
            or isinstance(left, ast.JoinedStr)
            or (isinstance(left, ast.Call) and _name(left.func) in {"_", "gettext", "gettext_lazy"})
        )
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return formatted(node.left) or formatted(node.right) or _is_str(node.left) or _is_str(node.right)
    if isinstance(node, ast.Call) and _name(node.func) == "format":
        return isinstance(node.func, ast.Attribute)
    return False


def _is_str(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def literal_text(node: ast.AST) -> str:
    """The literal parts of an f-string, a `%` template or a `.format` template."""
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and _is_str(node.left):
        return node.left.value
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return node.func.value.value if _is_str(node.func.value) else ""
    return ""


def findings(source: str, filename: str) -> list[str]:
    out = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Call) and _name(node.func) in SINKS:
            first = node.args[0] if node.args else None
            for kw in node.keywords:
                if kw.arg == "content":
                    first = kw.value
            if first is not None and formatted(first):
                out.append(f"{filename}:{node.lineno}: {_name(node.func)}() of a formatted string")
        if isinstance(node, ast.JoinedStr) and any(isinstance(v, ast.FormattedValue) for v in node.values):
            if TAG.search(literal_text(node)):
                out.append(f"{filename}:{node.lineno}: markup built with an f-string")
        elif isinstance(node, ast.BinOp | ast.Call) and TAG.search(literal_text(node)):
            out.append(f"{filename}:{node.lineno}: markup built with % or .format()")
    return out


def test_no_python_module_builds_html_by_string_formatting():
    found = [
        f
        for path in modules()
        for f in findings(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    ]
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    "source",
    [
        "HttpResponse(f'<span>{value}</span>')",
        "HttpResponse(content=f'<span>{value}</span>')",
        "HttpResponse('<span>%s</span>' % value)",
        "HttpResponse('<span>{}</span>'.format(value))",
        "HttpResponse('<span>' + value + '</span>')",
        "mark_safe(f'<b>{name}</b>')",
        "format_html(f'<b>{name}</b>')",
        "parts.append(f'<text x=\"{x}\">{escape(title)}</text>')",
        "row = '<td>%s</td>' % cell",
        "'<li>{}</li>'.format(item)",
    ],
)
def test_the_check_finds_each_way_of_formatting_html(source):
    assert findings(source, "example.py")


@pytest.mark.parametrize(
    "source",
    [
        "format_html('<b>{}</b>', name)",
        "HttpResponse(pdf, content_type='application/pdf')",
        "HttpResponse(json.dumps(data))",
        "render_to_string('x.html', {'v': v})",
        "_('%(field)s must be a whole number.') % {'field': label}",
        "path('<int:pk>/edit/', view)",
        "f'{disposition}; filename*=UTF-8'",
        "mark_safe(nh3.clean(html))",
    ],
)
def test_the_check_lets_templates_format_html_and_plain_text_pass(source):
    assert not findings(source, "example.py")


SAFE_FILTER = re.compile(r"{{\s*([^}|]+?)\s*\|[^}]*\bsafe(?:seq)?\b[^}]*}}")


def template_files() -> list[Path]:
    dirs = [ROOT / "templates", *sorted((ROOT / "apps").glob("*/templates"))]
    return sorted(p for d in dirs for p in d.rglob("*") if p.is_file())


def test_templates_print_only_constants_unescaped():
    found = []
    for path in template_files():
        text = path.read_text(encoding="utf-8")
        for match in SAFE_FILTER.finditer(text):
            if match.group(1).strip() not in SAFE_IN_TEMPLATES:
                found.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
        if re.search(r"{%\s*autoescape\s+off\s*%}", text):
            found.append(f"{path.relative_to(ROOT)}: autoescape off")
    assert not found, "\n".join(found)


def test_dutydesks_own_scripts_never_write_markup():
    """static/js builds elements with the DOM (createElement, textContent), never from a string of
    markup that could carry data (innerHTML, outerHTML, insertAdjacentHTML, document.write)."""
    sinks = re.compile(r"\.(?:innerHTML|outerHTML)\s*[+]?=|insertAdjacentHTML|document\.write")
    found = [
        f"{path.relative_to(ROOT)}: {line.strip()}"
        for path in sorted((ROOT / "static" / "js").rglob("*.js"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if sinks.search(line)
    ]
    assert not found, "\n".join(found)
