"""Small helper for the gettext catalogues.

python scripts/po.py missing                 # msgids without a zh_Hans translation, per catalogue
python scripts/po.py set CATALOG.po FILE.tsv # set msgstr from "msgid<TAB>msgstr" lines (\\n escapes)
"""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def catalogues(lang="zh_Hans"):
    yield from sorted(ROOT.glob(f"locale/{lang}/LC_MESSAGES/django.po"))
    yield from sorted(ROOT.glob(f"apps/*/locale/{lang}/LC_MESSAGES/django.po"))


def untranslated(po):
    return [e for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]


def main(argv):
    if argv[:1] == ["missing"]:
        total = 0
        for path in catalogues():
            missing = untranslated(polib.pofile(str(path)))
            total += len(missing)
            for e in missing:
                print(
                    f"{path.relative_to(ROOT)}\t{e.msgid!r}"
                    + (f"\tplural={e.msgid_plural!r}" if e.msgid_plural else "")
                )
        print(f"{total} untranslated", file=sys.stderr)
        return 1 if total else 0
    if argv[:1] == ["set"] and len(argv) == 3:
        po = polib.pofile(argv[1])
        pairs = {}
        for line in Path(argv[2]).read_text(encoding="utf-8").splitlines():
            if "\t" in line:
                k, v = line.split("\t", 1)
                pairs[k.replace("\\n", "\n")] = v.replace("\\n", "\n")
        n = 0
        for e in po:
            if e.msgid in pairs:
                if e.msgid_plural:
                    e.msgstr_plural = {0: pairs[e.msgid]}
                else:
                    e.msgstr = pairs[e.msgid]
                if "fuzzy" in e.flags:
                    e.flags.remove("fuzzy")
                n += 1
        po.save()
        print(f"set {n} of {len(pairs)}")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
