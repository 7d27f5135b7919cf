"""No page of one kind of store speaks another kind's language (issue 11, section 1).

The words come from the source documents (shared/seeds/): what only a car service station says
(准时交车, 车架号 / VIN, 里程, 维修技师, 服务顾问, 委托书 …), what only a mobile business hall says
(SIM 卡, 充值卡, 营业款, 台席 …) and what only a bank branch says (尾箱, 柜员, 假币, 押运 …), each in
Chinese and in English (a string not yet translated shows its English msgid).

Every demo user's crawl (`demo_sites`: every page, htmx fragment and redirect reachable from `/`,
one per URL pattern) is read as a person reads it: the text of the page, the options of its
selects and the placeholders and titles of its fields. A user may meet the words of the kinds of
the stores they belong to (an organisation's admin: every kind); a word of any other kind fails the
test, with the page it was on.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from apps.org.models import StoreKind
from tests.walks.conftest import DEMO_USERNAMES
from tests.walks.crawl import crawl

# word label -> pattern, per kind. Only words that really belong to one kind: "手机" (a phone
# number is 手机号 everywhere), 备用金 (a hall's float, and a bank's too) and 车辆 (a hall's guard
# watches the cars parked outside; the back office runs the company's cars) are not on the list.
VOCABULARY: dict[str, dict[str, str]] = {
    StoreKind.SERVICE_STATION: {
        "交车 (delivery of a car)": r"交车",
        "车架号": r"车架号",
        "VIN": r"\bVIN\b",
        "里程": r"里程",
        "mileage": r"(?i)\bmileage\b",
        "维修技师": r"维修技师",
        "mechanic": r"(?i)\bmechanics?\b",
        "服务顾问": r"服务顾问",
        "service advisor": r"(?i)\bservice advisors?\b",
        "委托书": r"委托书",
        "repair order": r"(?i)\brepair orders?\b",
        "车牌": r"车牌",
        "plate": r"(?i)\bplates?\b",
        "on-time delivery": r"(?i)\b(on-time delivery|delivered (on time|late)|promised delivery)\b",
        "增项": r"增项",
        "added item": r"(?i)\badded items?\b",
        "产值": r"产值",
        "output value": r"(?i)\boutput value\b",
        "CSI": r"\bCSI\b",
    },
    StoreKind.BUSINESS_HALL: {
        "SIM 卡": r"SIM\s*卡",
        "SIM card": r"(?i)\bSIM cards?\b",
        "充值卡": r"充值卡",
        "top-up card": r"(?i)\b(top-up|recharge) cards?\b",
        "营业款": r"营业款",
        "takings": r"(?i)\btakings\b",
        "台席": r"台席",
    },
    StoreKind.BANK_BRANCH: {
        "尾箱": r"尾箱",
        "tail box": r"(?i)\btail box(es)?\b",
        "柜员": r"柜员",
        "teller": r"(?i)\btellers?\b",
        "假币": r"假币",
        "counterfeit": r"(?i)\bcounterfeit\b",
        "押运": r"押运",
        "escort": r"(?i)\bescort\b",
        "重要空白凭证": r"重要空白凭证",
        "金库": r"金库",
        "营业主管": r"营业主管",
    },
}


class _VisibleText(HTMLParser):
    """The text a person reads: page text, options, placeholders, titles (not scripts or styles)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._hidden += 1
            return
        for name, value in attrs:
            if name in ("placeholder", "title", "aria-label", "alt") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def foreign_words(text: str, own_kinds: set[str]) -> list[tuple[str, str]]:
    """The words of the other kinds found in the text, as (label, kind); a word that is also an own
    kind's is never foreign."""
    own_patterns = {p for kind in own_kinds for p in VOCABULARY.get(kind, {}).values()}
    return [
        (label, kind)
        for kind, words in VOCABULARY.items()
        if kind not in own_kinds
        for label, pattern in words.items()
        if pattern not in own_patterns and re.search(pattern, text)
    ]


def own_kinds_of(user) -> set[str]:
    if user.is_org_admin:
        return set(StoreKind.values)
    return {m.store.kind for m in user.active_memberships}


def _offences(site, own: set[str]) -> list[str]:
    out = []
    for url, page in sorted(site.pages.items()):
        if page.status != 200 or "html" not in page.content_type:
            continue
        found = [f"{label} ({kind})" for label, kind in foreign_words(visible_text(page.body), own)]
        if found:
            out.append(f"{url}: {', '.join(found)}")
    return out


def _users_of_some_kinds():
    return [u for u in DEMO_USERNAMES if u != "admin"]


@pytest.mark.parametrize("username", _users_of_some_kinds())
def test_every_page_speaks_only_the_users_own_store_kind(demo, demo_sites, username, db):
    user = demo.users[username]
    own = own_kinds_of(user)
    assert own != set(StoreKind.values), f"{username} sees every kind: nothing to check"
    offences = _offences(demo_sites[username], own)
    assert not offences, f"{username} ({', '.join(sorted(own))}) meets other kinds' words:\n" + "\n".join(
        offences
    )


def test_the_word_lists_find_each_kinds_words_and_spare_the_own_kind():
    """The rule can fail: a station's page trips a hall user, and nobody trips on their own kind."""
    station_page = "<p>准时交车率 96%</p><select><option>委托书</option></select><input placeholder='VIN'>"
    assert ("交车 (delivery of a car)", StoreKind.SERVICE_STATION) in foreign_words(
        visible_text(station_page), {StoreKind.BUSINESS_HALL}
    )
    assert not foreign_words(visible_text(station_page), {StoreKind.SERVICE_STATION})
    assert foreign_words("Template of the day", {StoreKind.BUSINESS_HALL}) == []
    assert not foreign_words(visible_text("<script>var x = '尾箱'</script>"), {StoreKind.BUSINESS_HALL})


@pytest.mark.parametrize("username", ["manager", "manager2", "supervisor"])
def test_every_page_speaks_only_the_managers_own_store_kind_in_english(demo, username, db, settings):
    """The same rule in English ("On-time delivery", "VIN", "Teller"), one manager of each kind: a
    translated string hides its English word from the Chinese walk."""
    client = demo.client(username)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    site = crawl(client, per_route=1)
    own = own_kinds_of(demo.users[username])
    offences = _offences(site, own)
    assert not offences, f"{username} meets other kinds' words in English:\n" + "\n".join(offences)


def test_every_demo_store_runs_checklists_of_its_own_kind(demo, db):
    """The demo's checklist templates: each store's come from positions of its own kind, and the
    hall, the station and the bank branch each have theirs."""
    from apps.checklists.models import ChecklistTemplate

    kinds = set()
    for template in ChecklistTemplate.objects.select_related("position").prefetch_related("stores"):
        for shop in template.stores.all():
            kinds.add(shop.kind)
            assert template.position.store_kind in ("", shop.kind), (template.name, shop.name)
    assert {StoreKind.BUSINESS_HALL, StoreKind.SERVICE_STATION, StoreKind.BANK_BRANCH} <= kinds
