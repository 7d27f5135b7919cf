"""The e-mail backend of a machine with no mail server: each message logged at DEBUG only.

Django's console backend prints every message whole; a worker sending reminders printed thousands
of lines a minute (at WARNING, through Celery's stdout redirect) and the sign-in hints scrolled away.
Here a message is one DEBUG line (its body another), and whoever sends a batch logs one INFO line
for it (`followups.reminders.outbox_deliver`): `LOG_LEVEL=DEBUG` shows every message.
"""

import logging

from django.core.mail.backends.base import BaseEmailBackend

log = logging.getLogger("dutydesk.mail")


class LogEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        for message in email_messages:
            log.debug("e-mail to %s: %s", ", ".join(message.recipients()), message.subject)
            log.debug("e-mail body:\n%s", message.body)
        return len(email_messages)
