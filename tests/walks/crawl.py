"""Walking DutyDesk as a person would: every page, htmx fragment and form reachable from `/`.

The suite's generated rules (permissions, escaping, hostile input, redirects) walk what the app
itself offers, so a page added tomorrow is covered without anyone listing it. To keep the walks
cheap, a crawl keeps a few instances per URL pattern (`per_route`), not one per object.

- `crawl(client)` -> `Site`: pages by URL, each with its links, fragments (hx-get / hx-post / hx-put
  / hx-delete targets), forms (`Form` with its fields as a browser would send them, each field's
  type, options, default, `required` and `inputmode`) and actions (hx-post buttons outside a form,
  as one-off forms of their hx-vals; `Site.actions`).
- `route_of(url)` -> the resolver's route for a URL ("customers/<int:pk>/edit/"), or None.
- `all_routes()` -> every URL pattern of the project as (route, namespaced name, pattern).
"""

from __future__ import annotations

import json
import re
from collections import Counter, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve

# Links a walk never follows: signing out, binary assets and the Django admin (Django's own pages,
# walked by its own tests where DutyDesk customises them).
SKIP = re.compile(r"^/(static|media|admin)/|/logout/|\.(css|js|png|jpe?g|svg|ico|woff2?)$", re.I)


@dataclass
class Field:
    name: str
    kind: str  # input type, "textarea" or "select"
    value: str = ""
    options: list[str] = field(default_factory=list)
    checked: bool = False
    multiple: bool = False
    required: bool = False
    inputmode: str = ""  # "decimal" / "numeric" on a text input that takes a number


@dataclass
class Form:
    page: str  # the URL of the page the form was found on
    action: str  # absolute path (with query) the form posts to
    method: str  # "get" / "post"
    fields: list[Field] = field(default_factory=list)
    htmx: bool = False  # submitted by htmx (hx-post on the form)
    trigger: str = ""  # its hx-trigger ("" = htmx's default, submit)
    swap: str = ""  # its hx-swap ("" = htmx's default, innerHTML of its target)

    def data(self) -> dict[str, list[str]]:
        """What a browser sends when the form is submitted untouched."""
        out: dict[str, list[str]] = {}
        for f in self.fields:
            if f.kind in ("checkbox", "radio"):
                if f.checked:
                    out.setdefault(f.name, []).append(f.value or "on")
            elif f.kind in ("submit", "button", "image", "reset", "file"):
                continue
            elif f.kind == "select":
                if f.value:
                    out.setdefault(f.name, []).append(f.value)
            else:
                out.setdefault(f.name, []).append(f.value)
        return out

    @property
    def route(self) -> str | None:
        return route_of(self.action)


@dataclass
class Page:
    url: str
    status: int
    content_type: str
    body: str
    links: list[str] = field(default_factory=list)
    fragments: list[tuple[str, str]] = field(default_factory=list)  # (method, url)
    forms: list[Form] = field(default_factory=list)
    # POST-only actions outside a form: an element with hx-post, its hx-vals as hidden fields.
    actions: list[Form] = field(default_factory=list)


class _Parser(HTMLParser):
    def __init__(self, url: str):
        super().__init__(convert_charrefs=True)
        self.url = url
        self.links: list[str] = []
        self.fragments: list[tuple[str, str]] = []
        self.forms: list[Form] = []
        self.actions: list[Form] = []
        self._form: Form | None = None
        self._textarea: Field | None = None
        self._select: Field | None = None
        self._option: tuple[str | None, bool] | None = None
        self._option_text = ""
        # Inside a <template> (a formset's empty form cloned by the page's script) nothing is
        # live: its fields are not submitted and its links not followed until the page copies it.
        self._inert = 0

    def _abs(self, href: str) -> str:
        return urljoin(self.url, href.split("#")[0])

    def handle_starttag(self, tag, attrs):
        if tag == "template":
            self._inert += 1
        if self._inert:
            return
        a = {k: (v if v is not None else "") for k, v in attrs}
        for verb in ("get", "post", "put", "patch", "delete"):
            if a.get(f"hx-{verb}"):
                self.fragments.append((verb, self._abs(a[f"hx-{verb}"])))
        if tag != "form" and a.get("hx-post"):
            self.actions.append(_action(self.url, self._abs(a["hx-post"]), a.get("hx-vals", "")))
        if tag == "a" and a.get("href"):
            self.links.append(self._abs(a["href"]))
        elif tag == "form":
            action = a.get("hx-post") or a.get("action") or self.url
            method = "post" if a.get("hx-post") else (a.get("method") or "get").lower()
            self._form = Form(
                page=self.url,
                action=self._abs(action),
                method=method,
                htmx=bool(a.get("hx-post")),
                trigger=a.get("hx-trigger", ""),
                swap=a.get("hx-swap", ""),
            )
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            self._form.fields.append(
                Field(
                    a["name"],
                    (a.get("type") or "text").lower(),
                    a.get("value", ""),
                    checked="checked" in a,
                    required="required" in a,
                    inputmode=a.get("inputmode", ""),
                )
            )
        elif tag == "textarea" and a.get("name"):
            self._textarea = Field(a["name"], "textarea", required="required" in a)
            self._form.fields.append(self._textarea)
        elif tag == "select" and a.get("name"):
            self._select = Field(a["name"], "select", multiple="multiple" in a, required="required" in a)
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = (a.get("value"), "selected" in a)
            self._option_text = ""
        elif tag == "button" and a.get("name"):
            self._form.fields.append(Field(a["name"], "submit", a.get("value", "")))

    def handle_data(self, data):
        if self._inert:
            return
        if self._textarea is not None:
            self._textarea.value += data
        if self._option is not None:
            self._option_text += data

    def _close_option(self):
        if self._option is None or self._select is None:
            return
        value, selected = self._option
        value = value if value is not None else self._option_text.strip()
        self._select.options.append(value)
        if selected or (
            not self._select.value and not self._select.multiple and len(self._select.options) == 1
        ):
            self._select.value = value
        self._option = None

    def handle_endtag(self, tag):
        if tag == "template":
            self._inert = max(0, self._inert - 1)
            return
        if self._inert:
            return
        if tag == "textarea":
            self._textarea = None
        elif tag == "option":
            self._close_option()
        elif tag == "select":
            self._close_option()
            self._select = None
        elif tag == "form":
            self._form = None


def _action(page: str, url: str, hx_vals: str) -> Form:
    try:
        values = json.loads(hx_vals) if hx_vals and not hx_vals.startswith(("js:", "javascript:")) else {}
    except ValueError:
        values = {}
    fields = [Field(str(k), "hidden", str(v)) for k, v in values.items()] if isinstance(values, dict) else []
    return Form(page=page, action=url, method="post", fields=fields, htmx=True)


def parse(url: str, status: int, content_type: str, body: str) -> Page:
    page = Page(url, status, content_type, body)
    if "html" in content_type:
        p = _Parser(url)
        p.feed(body)
        page.links, page.fragments, page.forms = p.links, p.fragments, p.forms
        page.actions = p.actions
    return page


def route_of(url: str) -> str | None:
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    return match.route


def _local(url: str) -> bool:
    parts = urlsplit(url)
    return not parts.netloc and parts.path.startswith("/") and not SKIP.search(parts.path)


@dataclass
class Site:
    pages: dict[str, Page] = field(default_factory=dict)

    @property
    def forms(self) -> list[Form]:
        return [f for p in self.pages.values() for f in p.forms]

    @property
    def actions(self) -> list[Form]:
        """hx-post buttons and links outside any form, as one-off forms of their hx-vals."""
        return [a for p in self.pages.values() for a in p.actions]

    def routes(self) -> set[str]:
        return {r for r in map(route_of, self.pages) if r is not None}


def crawl(client, start=("/",), *, per_route: int = 2, limit: int = 400, fragments: bool = True) -> Site:
    """GET every page reachable from `start` (links, redirects and htmx GET fragments), keeping at
    most `per_route` URLs per URL pattern. Responses of any status are kept: callers decide."""
    site = Site()
    seen: set[str] = set()
    per: Counter[str] = Counter()
    queue: deque[tuple[str, bool]] = deque((u, False) for u in start)
    while queue and len(site.pages) < limit:
        url, htmx = queue.popleft()
        if url in seen or not _local(url):
            continue
        seen.add(url)
        route = route_of(url)
        if route is None or per[route] >= per_route:
            continue
        per[route] += 1
        resp = client.get(url, headers={"HX-Request": "true"}) if htmx else client.get(url)
        ctype = resp.get("Content-Type", "")
        body = "" if getattr(resp, "streaming", False) else resp.content.decode("utf-8", "replace")
        page = parse(url, resp.status_code, ctype, body if "html" in ctype or "json" in ctype else "")
        site.pages[url] = page
        if resp.status_code in (301, 302, 303) and _local(resp.get("Location", "")):
            queue.append((urljoin(url, resp["Location"]), False))
        queue.extend((u, False) for u in page.links)
        if fragments:
            queue.extend((u, True) for verb, u in page.fragments if verb == "get")
    return site


def all_routes() -> list[tuple[str, str, URLPattern]]:
    """Every URL pattern: (route, "namespace:name", pattern)."""
    out: list[tuple[str, str, URLPattern]] = []

    def walk(resolver: URLResolver, prefix: str, ns: str):
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                sub = f"{ns}{p.namespace}:" if p.namespace else ns
                walk(p, prefix + str(p.pattern), sub)
            else:
                out.append((prefix + str(p.pattern), f"{ns}{p.name}" if p.name else "", p))

    walk(get_resolver(), "", "")
    return out
