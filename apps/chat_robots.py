"""WeCom and DingTalk group robots, through apprise: the one way a message goes to a chat group
(follow-up reminders, integrations' endpoints).

- `robot_notify(url, title=, body=)`: sends, or raises (ValueError for an address apprise does not
  take, RuntimeError when the robot refuses).
- `robot_url_problem(url, scheme=)`: None for a usable address of that scheme, else the reason.
  Only the robots' own schemes are taken: apprise also speaks json:// and xml://, which would post
  to any host, so a group robot is never a way around the webhook address rules.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

ROBOT_SCHEMES = ("wecombot", "dingtalk")
_TOKEN = re.compile(r"^[A-Za-z0-9_\-@./:]{8,300}$")


def robot_notify(url: str, *, title: str, body: str) -> None:
    import apprise

    sender = apprise.Apprise()
    if not sender.add(url):
        raise ValueError(f"not an apprise URL: {url[:20]}…")
    if not sender.notify(title=title, body=body):
        raise RuntimeError("the group robot did not accept the message")


def robot_url_problem(url: str, *, scheme: str) -> str | None:
    if scheme not in ROBOT_SCHEMES:
        raise ValueError(scheme)
    head, sep, rest = url.strip().partition("://")
    if not sep or head.lower() != scheme:
        return _("Use an address that starts with %(scheme)s:// (the robot's key follows).") % {
            "scheme": scheme
        }
    if not _TOKEN.match(rest):
        return _("The robot's key after %(scheme)s:// is missing or has characters a key never has.") % {
            "scheme": scheme
        }
    import apprise

    if not apprise.Apprise().add(url.strip()):
        return _("This is not a robot address the sender understands.")
    return None
