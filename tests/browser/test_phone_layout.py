"""Every page the staff work from fits a phone: at 390 × 844 nothing makes the page scroll
sideways, lists are cards, and the follow-up queue's call button is on the first screen.

The pages are not listed by hand. For each demo user who works from the pages every day (the
clerk, after-sales and manager tiers in the business hall, the service station and the bank
branch), the walkers' crawl (tests/walks/crawl.py) follows every link from that user's menu
(apps/org/navigation.py) and home page, one page per URL pattern, so each list's detail and form
pages are in as well. Documents (PDF, spreadsheets) are downloads, not pages: they are not fetched.

A page passes when (and the home page also with the menu opened)
- the page is no wider than the screen (`scrollWidth`, and the mobile viewport did not widen);
- no visible element reaches beyond the screen, except inside a box that scrolls itself;
- a box scrolls sideways only when it is declared wide content (`.scroll-x`: the org chart, pay
  sheets, budget grids); a list in a `.table-responsive` that still needs sideways scrolling has not
  become cards (`table.table-cards`, static/css/dutydesk.css).

To stay fast, a page is loaded once per tier and once per kind of store: a user skips the URL
patterns already checked for both their tier and their store's kind. One browser context per user.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.http import HttpResponse
from django.test import Client, RequestFactory
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from apps.org.models import Membership, User
from apps.org.navigation import nav_for
from tests.browser_fixtures import ARTIFACTS
from tests.walks.crawl import crawl, route_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
# The demo users who work from the pages every day: each tier, in each kind of store.
USERS = ["clerk", "aftersales", "manager", "advisor", "tracker", "manager2", "teller", "supervisor"]
# Downloads, not pages (PDF prints, Excel exports and templates).
DOCUMENT = re.compile(r"(\.pdf|\.xlsx|/pdf/?)$|/export")

# (width) -> the reasons the page does not fit, [] when it does.
FITS_JS = """
(width) => {
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > width || window.innerWidth > width) {
    problems.push(`the page is ${Math.max(root.scrollWidth, window.innerWidth)} px wide`);
  }
  const scrolls = (el) => /(auto|scroll)/.test(getComputedStyle(el).overflowX);
  const describe = (el) => {
    const classes = typeof el.className === "string" ? el.className.trim().split(/\\s+/).slice(0, 4).join(".") : "";
    const text = (el.innerText || el.value || "").trim().replace(/\\s+/g, " ").slice(0, 40);
    return `<${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${classes ? "." + classes : ""}> "${text}"`;
  };
  for (const el of document.body.querySelectorAll("*")) {
    if (el.getClientRects().length && scrolls(el) && el.scrollWidth > el.clientWidth + 1 && !el.closest(".scroll-x")) {
      problems.push(`${describe(el)} scrolls sideways (${el.scrollWidth} px in ${el.clientWidth} px)`);
    }
  }
  const reported = new Set();
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || (box.left >= -1 && box.right <= width + 1)) continue;
    if (getComputedStyle(el).visibility === "hidden") continue;
    let inScroller = false, inReported = false;
    for (let p = el.parentElement; p && p !== root; p = p.parentElement) {
      if (reported.has(p)) inReported = true;
      if (scrolls(p)) { inScroller = true; break; }
    }
    if (inScroller) continue;
    reported.add(el);
    if (!inReported) problems.push(`${describe(el)} spans ${Math.round(box.left)}..${Math.round(box.right)} px`);
  }
  return problems;
}
"""
# (selector) -> is the first match wholly on the screen, without scrolling?
ON_SCREEN_JS = """
(selector) => {
  const el = document.querySelector(selector);
  if (!el) return false;
  const box = el.getBoundingClientRect();
  return box.width > 0 && box.left >= 0 && box.top >= 0
    && box.right <= window.innerWidth && box.bottom <= window.innerHeight;
}
"""


class _PagesOnly:
    """A test client that answers a document's address with an empty download instead of
    rendering it: documents are not laid out on a screen, and rendering them is a crawl's slow part."""

    def __init__(self, client: Client):
        self.client = client

    def get(self, url, **kwargs):
        if DOCUMENT.search(urlsplit(url).path):
            return HttpResponse(b"", content_type="application/octet-stream")
        return self.client.get(url, **kwargs)


def pages_of(user: User) -> list[str]:
    """Every page `user` reaches from the menu and the home page, one per URL pattern."""
    request = RequestFactory().get("/")
    request.user = user
    menu = [item["url"] for item in nav_for(request)]
    client = Client(raise_request_exception=False)
    client.force_login(user)
    site = crawl(_PagesOnly(client), start=("/", *menu), per_route=1, fragments=False)
    return [
        url
        for url, page in site.pages.items()
        if page.status == 200 and "html" in page.content_type and route_of(url) is not None
    ]


def phone_sign_in(page, username: str, password: str) -> None:
    """The sign-in form at phone size (the user menu sits in the collapsed navbar: attached, hidden)."""
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("[data-testid=login-submit]")
    page.wait_for_selector("[data-testid=user-menu]", state="attached")


def phone_screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def check_follow_up_queue(page, username: str) -> list[str] | None:
    """The queue's call button (拨打) is on the first screen; the call page shows the customer's
    number on its first screen, masked, and "Show in full" turns it into a number the phone dials.
    None: the user's queue is empty in every section."""
    problems: list[str] = []
    for section in ("overdue", "today", "upcoming"):
        page.goto(f"/followups/?section={section}&scope=all")
        if page.locator("[data-testid=open-followup]").count():
            break
    else:
        return None
    phone_screenshot(page, f"phone-followups-{username}")
    if not page.evaluate(ON_SCREEN_JS, "[data-testid=open-followup]"):
        problems.append(f"{username}: the first row's call button is not on the first screen")
    page.locator("[data-testid=open-followup]").first.click()
    page.wait_for_selector("[data-testid=followup-title]")
    if page.locator("[data-testid=masked-phone]").count():
        if not page.evaluate(ON_SCREEN_JS, "[data-testid=masked-phone]"):
            problems.append(f"{username}: the customer's number is not on the call page's first screen")
        if page.locator("a[href^='tel:']").count():
            problems.append(f"{username}: a masked number is a tel: link")
        page.locator("[data-testid=reveal-phone]").first.click()
        try:
            page.wait_for_selector("a[href^='tel:+'][data-testid=revealed]", timeout=5_000)
        except PlaywrightTimeoutError:
            problems.append(f"{username}: the number shown in full is not a tel: link")
        phone_screenshot(page, f"phone-followup-call-{username}")
    return problems


def test_every_page_fits_a_phone_for_every_daily_user(browser, live_server, settings):
    call_command("seed_demo", "--force", verbosity=0)
    problems: list[str] = []
    checked: set[tuple[str, str]] = set()  # (tier or store kind, route)
    queue_checked: list[str] = []
    for username in USERS:
        user = User.objects.get(username=username)
        membership = Membership.objects.select_related("store").get(user=user, is_active=True)
        urls = pages_of(user)
        todo = [
            url
            for url in urls
            if not {(membership.tier, route_of(url)), (membership.store.kind, route_of(url))} <= checked
        ]
        context = browser.new_context(
            base_url=live_server.url,
            locale="zh-CN",
            viewport=PHONE,
            is_mobile=True,
            has_touch=True,
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        phone_sign_in(page, username, settings.DEMO_PASSWORD)
        # The menu collapses behind the toggler; opened, it fits too.
        page.wait_for_load_state("load")
        page.click(".navbar-toggler")
        page.wait_for_selector("#mainnav.show")
        problems += [f"{username} (menu open): {p}" for p in page.evaluate(FITS_JS, PHONE["width"])]
        for url in todo:
            response = page.goto(url)
            if response is None or response.status != 200:
                problems.append(f"{username} {url}: {response.status if response else 'no response'}")
                continue
            problems += [f"{username} {url}: {p}" for p in page.evaluate(FITS_JS, PHONE["width"])]
            checked |= {(membership.tier, route_of(url)), (membership.store.kind, route_of(url))}
        if "/followups/" in urls:
            queue_problems = check_follow_up_queue(page, username)
            if queue_problems is not None:
                queue_checked.append(username)
                problems += queue_problems
        context.close()
    assert {"aftersales", "tracker"} <= set(queue_checked), f"queues checked: {queue_checked}"
    routes = {route for _key, route in checked}
    assert len(routes) > 40, f"only {len(routes)} URL patterns checked: is the demo seeded?"
    assert not problems, "\n".join(problems)
