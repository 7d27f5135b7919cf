"""Records that are never deleted: logs, locked and signed documents, and the audit history.

A model opts in with a class attribute next to its fields:

    never_deleted = True                       # every row (a log, a signature)
    never_deleted = Q(state="locked")          # the rows in that state (a locked pay sheet)

Every table of django-simple-history (`Historical…`) is kept as well, without opting in.

What keeps them:
- the ORM: a `pre_delete` guard (connected in `OrgConfig.ready()`) raises `KeptRecordError` before
  a kept row is deleted, whether by `obj.delete()`, `queryset.delete()` or a cascade;
- the foreign keys: a row that is always kept never cascades from its parent (`on_delete=PROTECT`),
  so the parent cannot be deleted while it has one (a ticket with events is closed instead);
- the admin: `KeptRecordAdmin` / `KeptRecordInline` refuse deletion and drop the bulk delete action;
- the database, where the record is evidence (the personal-data access log: a trigger).

Records that may go away but that a person would expect to get back (a tracked model with an
`is_active` flag: a store, a membership, a rule, a template) are archived instead: their admin has
an "archive" action and no delete (`ArchiveInsteadOfDeleteAdmin`).

`tests/test_retention.py` walks the model registry and the admin site to hold all of this.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.db.models import Model, Q
from django.db.models.deletion import ProtectedError
from django.db.models.signals import pre_delete
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.models import HistoricalChanges


class KeptRecordError(ProtectedError):
    """A kept record (log, locked or signed document, history) was about to be deleted."""


def is_history_model(model: type[Model]) -> bool:
    return issubclass(model, HistoricalChanges)


def kept_rows(model: type[Model]) -> Q | None:
    """The rows of `model` that are never deleted: `Q()` for all of them, None when it does not opt in."""
    if is_history_model(model):
        return Q()
    rule = getattr(model, "never_deleted", None)
    if rule is True:
        return Q()
    if isinstance(rule, Q):
        return rule
    return None


def always_kept(model: type[Model]) -> bool:
    rows = kept_rows(model)
    return rows is not None and not rows


def is_kept(obj: Model) -> bool:
    """Is this stored row kept? Conditional rules are read from the database, not the instance."""
    rows = kept_rows(type(obj))
    if rows is None or obj.pk is None:
        return False
    if not rows:
        return True
    return type(obj)._base_manager.filter(rows, pk=obj.pk).exists()


def kept_models(models) -> list[type[Model]]:
    return [m for m in models if kept_rows(m) is not None]


def _refuse_delete(sender, instance, **kwargs):
    if is_kept(instance):
        raise KeptRecordError(
            f"{sender._meta.label} {instance.pk} is kept: it is never deleted.",
            [instance],
        )


def connect_guards(models) -> None:
    """Guard each kept model (per sender, so every other model keeps Django's fast delete)."""
    for model in kept_models(models):
        pre_delete.connect(
            _refuse_delete, sender=model, weak=False, dispatch_uid=f"retention:{model._meta.label}"
        )


# The mixins below go before ModelAdmin / InlineModelAdmin in a class's bases; the type checker is
# told so (at run time they stay plain classes).
if TYPE_CHECKING:
    _ModelAdmin = admin.ModelAdmin[Any]
    _InlineModelAdmin = admin.options.InlineModelAdmin[Any, Any]
else:
    _ModelAdmin = _InlineModelAdmin = object


class KeptRecordAdmin(_ModelAdmin):
    """Admin mixin (before ModelAdmin): no deletion of a kept row, and no bulk delete action at all."""

    def has_delete_permission(self, request, obj=None):
        if always_kept(self.model) or (obj is not None and is_kept(obj)):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class KeptRecordInline(_InlineModelAdmin):
    """Inline mixin (before InlineModelAdmin): kept rows shown on their parent have no delete box."""

    def has_delete_permission(self, request, obj=None):
        # `obj` is the parent here: only a model kept as a whole can be judged without the row.
        if kept_rows(self.model) is not None:
            return False
        return super().has_delete_permission(request, obj)


def archivable(model: type[Model]) -> bool:
    """A tracked model (django-simple-history) with an `is_active` flag: switched off, never deleted."""
    tracked = getattr(model._meta, "simple_history_manager_attribute", None)
    return bool(tracked) and any(f.name == "is_active" for f in model._meta.concrete_fields)


@admin.action(description=_("Archive the selected %(verbose_name_plural)s"))
def archive_selected(modeladmin, request, queryset):
    count = 0
    for obj in queryset.filter(is_active=True):
        obj.is_active = False
        obj.save(update_fields=["is_active"])  # one by one: each change gets its history row
        count += 1
    modeladmin.message_user(
        request,
        ngettext("%(count)d record archived.", "%(count)d records archived.", count) % {"count": count},
        messages.SUCCESS,
    )


class ArchiveInsteadOfDeleteAdmin(_ModelAdmin):
    """Admin mixin (before ModelAdmin) for `archivable` models: archive them, do not delete them."""

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        if self.has_change_permission(request):
            actions["archive_selected"] = (
                archive_selected,
                "archive_selected",
                archive_selected.short_description,
            )
        return actions


class ArchiveInsteadOfDeleteInline:
    """Inline mixin for `archivable` rows: untick "active" instead of deleting the row."""

    def has_delete_permission(self, request, obj=None):
        return False
