"""The e-mail backend of a machine with no mail server: one INFO log line a message.

Django's console backend prints every message whole; a worker sending reminders printed thousands
of lines a minute (at WARNING, through Celery's stdout redirect) and the sign-in hints scrolled away.
"""

import logging

from django.core.mail.backends.base import BaseEmailBackend

log = logging.getLogger("dutydesk.mail")


class LogEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        for message in email_messages:
            log.info("e-mail to %s: %s", ", ".join(message.recipients()), message.subject)
            log.debug("e-mail body:\n%s", message.body)
        return len(email_messages)
