from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class PrintJob(models.Model):
    """A long job run by a Celery task: a print (a department's book, campaign letters …) that ends
    in a file, or an import that reads an uploaded file and ends in a report.

    The page that started it polls its progress and offers the file, or shows the report (through
    the template its builder registered), when it is done.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="print_jobs", verbose_name=_("owner")
    )
    builder = models.CharField(_("builder"), max_length=80)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    title = models.CharField(_("title"), max_length=200)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    done_steps = models.PositiveIntegerField(_("done"), default=0)
    total_steps = models.PositiveIntegerField(_("total"), default=0)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    pdf = models.BinaryField(_("PDF"), null=True, blank=True, editable=False)
    # A job that reads a file (an import) keeps it here until it ends; it is dropped then.
    upload = models.BinaryField(_("uploaded file"), null=True, blank=True, editable=False)
    report = models.JSONField(_("report"), null=True, blank=True, editable=False)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("print job")
        verbose_name_plural = _("print jobs")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("printing:job", args=[self.pk])

    @property
    def report_template(self) -> str | None:
        """The template that shows this job's report; None for a job that ends in a file."""
        from .builders import report_template_for

        return report_template_for(self.builder)

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return int(100 * self.done_steps / self.total_steps) if self.total_steps else 0
