"""Reading PDFs in tests with poppler's pdftotext / pdffonts (Debian's poppler-utils)."""

import subprocess
import tempfile
from pathlib import Path


def _run(tool: str, pdf: bytes, *args: str) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        return subprocess.run(
            [tool, *args, f.name, "-"] if tool == "pdftotext" else [tool, f.name],
            capture_output=True,
            text=True,
            check=True,
        ).stdout


def pdf_text(pdf: bytes) -> str:
    assert pdf[:5] == b"%PDF-", "not a PDF"
    return _run("pdftotext", pdf, "-layout")


def pdf_fonts(pdf: bytes) -> list[dict]:
    """One dict per font line of `pdffonts`: name, type, emb (yes/no)."""
    lines = _run("pdffonts", pdf).splitlines()[2:]
    fonts = []
    for line in lines:
        parts = line.split()
        # name type [type2] encoding emb sub uni object ID
        fonts.append({"name": parts[0], "emb": parts[-5], "line": line})
    return fonts


def assert_cjk_font_embedded(pdf: bytes) -> None:
    fonts = pdf_fonts(pdf)
    cjk = [f for f in fonts if "CJK" in f["name"] and f["emb"] == "yes"]
    assert cjk, f"no embedded CJK font in {[f['line'] for f in fonts]}"


def page_count(pdf: bytes) -> int:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        out = subprocess.run(["pdfinfo", f.name], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")))


__all__ = ["Path", "assert_cjk_font_embedded", "page_count", "pdf_fonts", "pdf_text"]
