"""The one in-app inbox: every app notifies people through `services.notification_send`."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.org.models import Store

from .messages import render


class Level(models.TextChoices):
    INFO = "info", _("Information")
    WARNING = "warning", _("Warning")
    DANGER = "danger", _("Urgent")


class Notification(models.Model):
    """One message to one person; `key` (unique per recipient) makes every send idempotent."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox", verbose_name=_("recipient")
    )
    store = models.ForeignKey(
        Store, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("store")
    )
    key = models.CharField(_("key"), max_length=200)
    title = models.CharField(_("title"), max_length=300)
    # The title's English msgid and parameters (messages.Message): when set, the title is shown in
    # the reader's language; `title` keeps the text as sent, for rows without a msgid.
    title_msgid = models.TextField(_("title message"), blank=True)
    title_params = models.JSONField(_("title parameters"), default=dict, blank=True)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=Level, default=Level.INFO)
    source = models.CharField(_("source"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notifications_once_per_recipient")
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notifications_inbox_idx")
        ]

    def __str__(self):
        return self.shown_title

    def get_absolute_url(self):
        return reverse("notifications:open", args=[self.pk])

    @property
    def shown_title(self) -> str:
        """The title in the active language (the reader's), or as it was sent for older rows."""
        if self.title_msgid:
            return render(self.title_msgid, self.title_params)
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
