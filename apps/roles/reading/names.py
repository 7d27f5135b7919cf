"""Post titles and relation names as written, and the key two spellings of one post share."""

from __future__ import annotations

import re

_TITLE_SUFFIX = (
    r"(?:的)?(?:岗位职责表?|(?:岗位)?标准作业指导书?|作业指导书|岗位说明书?|职位说明书?|岗位工作目标|工作职责|部门工作规划|工作规划|职责|目标责\s?任书)"
    r"(?:范文|范例|篇\s*【\d+】|系列|[(（][^()（）]*[)）])*"
)
POST_RE = re.compile(r"^(?P<title>[^\s，。,；;:：、]{2,16}?)\s?" + _TITLE_SUFFIX + r"$")
SOP_RE = re.compile(r"(?:标准作业指导|作业指导书?|标准作业程序|SOP)\s*[(（](?P<title>[^()（）]{2,12})[)）]")
_GENERIC = re.compile(r"^(?:主要|基本|工作|日常|具体|其他|部门|公司|本部门|人员)$|各|岗位|职责|描述")
_PREFIX = re.compile(r"^(?:某|本)?(?:公司|企业|集团)(?=.{2,})")
_PUNCT = re.compile(r"[\s\-—_·•.,，。、;；:：()（）【】\[\]“”\"'!！?？]")


def post_title(text: str, *, anywhere: bool = False) -> str:
    """The post a heading names ("行政主管岗位职责" → 行政主管), or "" when it names none.

    anywhere: also when the heading is only part of the text (a cover page run into one line).
    """
    text = re.sub(r"\s+", " ", text).strip()
    m = POST_RE.match(text) or SOP_RE.search(text)
    if not m or (m.re is SOP_RE and len(text) > m.end() + 2 and not anywhere):
        return ""
    title = _PREFIX.sub("", m.group("title").strip())
    if _GENERIC.search(title) or not re.search(r"[\u4e00-\u9fff]{2}", title):
        return ""
    return title


def name_key(name: str) -> str:
    """营业厅经理岗 / 营业厅经理岗位 / "营业厅经理," share one key; 副总 and 副总经理 too."""
    key = _PUNCT.sub("", name)
    key = re.sub(r"(?:岗位职责|岗位|职位|岗)$", "", key)
    key = re.sub(r"^(?:公司|本部门|本)", "", key)
    return re.sub(r"总经理$", "总", key)


def same_post(a: str, b: str) -> bool:
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return False
    short, long = sorted((ka, kb), key=len)
    return short == long or (len(short) >= 2 and long.endswith(short))


_LEAD = re.compile(r"^(?:直属|直接|由|向|与|对|受)")
_CUT = re.compile(r"(?:等.*$|平级.*$|负责.*$)")


def relation_names(text: str) -> list[str]:
    """The posts a relation line names: "与市场部经理、行政部经理等部门经理平级,保持…" → two names."""
    text = re.sub(r"^[:：\s]+", "", text)
    text = re.split(r"[,，;；。]", text, maxsplit=1)[0]
    text = _CUT.sub("", _LEAD.sub("", text.strip()))
    names = []
    for part in re.split(r"[、/和及]|\s+", text):
        part = _LEAD.sub("", _PUNCT.sub("", part))
        if 2 <= len(part) <= 16 and part not in names and part not in ("无", "暂无"):
            names.append(part)
    return names


def match_name(name: str, candidates: dict[str, object]):
    """The one candidate (by title) that names the same post, or None when none or several do."""
    exact = [v for t, v in candidates.items() if name_key(t) == name_key(name)]
    if len(exact) == 1:
        return exact[0]
    loose = [v for t, v in candidates.items() if same_post(t, name)]
    return loose[0] if len(loose) == 1 else None
