"""The base of every API resource: signed in (token or session), the capability of the action
(`permissions.HoldsPerm`), whole numbers as ids in the path (anything else is a JSON 404)."""

from __future__ import annotations

from django.db import models
from rest_framework import viewsets
from rest_framework.permissions import IsAuthenticated

from .permissions import HoldsPerm


class ApiViewSet(viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated, HoldsPerm]
    lookup_value_converter = "int"
    perms: dict[str, str] = {}
    model: type[models.Model] | None = (
        None  # only for the schema (the type of the path's id); reads go through the selectors
    )

    def get_queryset(self):
        assert self.model is not None, f"{type(self).__name__}.model"
        return self.model._default_manager.none()
