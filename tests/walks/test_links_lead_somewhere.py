"""No page offers a link or a button its own reader is refused.

Every demo role walks the site from `/` (the shared crawl); every same-site link (`<a href>`) and
htmx GET target (`hx-get`) on each page it reached is requested again as that same person, and must
not answer 403. A button a person may not use is not shown to them (the 规则 button on the
follow-up queue sent managers to a 403). A few instances per URL pattern keep the walk cheap.
"""

from __future__ import annotations

from collections import Counter

import pytest

from tests.walks.conftest import DEMO_USERNAMES
from tests.walks.crawl import _local, route_of

# Targets of one URL pattern requested per person beyond those the crawl already reached.
EXTRA_PER_ROUTE = 3


@pytest.mark.parametrize("username", DEMO_USERNAMES)
def test_no_link_or_button_on_a_page_leads_to_a_403_for_the_same_person(demo, demo_sites, db, username):
    site = demo_sites[username]
    client = demo.client(username)
    status = {url: page.status for url, page in site.pages.items()}
    extra: Counter[str] = Counter()
    refused: list[str] = []
    for page in site.pages.values():
        if page.status != 200:
            continue
        targets = [(url, False) for url in page.links]
        targets += [(url, True) for verb, url in page.fragments if verb == "get"]
        for url, htmx in targets:
            if not _local(url):
                continue
            if url not in status:
                route = route_of(url)
                if route is None or extra[route] >= EXTRA_PER_ROUTE:
                    continue
                extra[route] += 1
                headers = {"HX-Request": "true"} if htmx else {}
                status[url] = client.get(url, headers=headers).status_code
            if status[url] == 403:
                refused.append(f"{page.url} -> {url}")
    assert not refused, f"{username} is offered links that answer 403:\n" + "\n".join(sorted(set(refused)))
