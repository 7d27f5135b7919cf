"""Read-only resources: /api/handovers/, /api/positions/ and /api/kpis/."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.handovers.selectors import Handover, handover_get_for, handover_list_for
from apps.org.access import stores_where
from apps.roles.selectors import Position, position_get_for, position_list_for
from apps.targets.selectors import kpi_values_for

from . import serializers as s
from .pagination import NewestFirst
from .permissions import HoldsPerm
from .viewsets import ApiViewSet


@extend_schema_view(
    list=extend_schema(
        tags=["handovers"],
        summary=_("Shift handovers"),
        description=_("Handovers of the stores where you work the counter, newest first."),
    ),
    retrieve=extend_schema(
        tags=["handovers"],
        summary=_("One handover"),
        description=_("Its count lines against the ledger, the signatures and the open matters handed over."),
        responses={200: s.HandoverDetailSerializer},
    ),
)
class HandoverViewSet(ApiViewSet):
    model = Handover
    perms = {"*": "handovers.sign"}
    pagination_class = NewestFirst
    serializer_class = s.HandoverSerializer

    def list(self, request):
        page = self.paginate_queryset(handover_list_for(user=request.user))
        return self.get_paginated_response(s.HandoverSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(s.HandoverDetailSerializer(handover_get_for(user=request.user, pk=pk)).data)


@extend_schema_view(
    list=extend_schema(tags=["positions"], summary=_("Positions (岗位) of your organisation")),
    retrieve=extend_schema(tags=["positions"], summary=_("One position")),
)
class PositionViewSet(ApiViewSet):
    model = Position
    perms = {"*": "roles.view"}
    pagination_class = None
    serializer_class = s.PositionSerializer

    def list(self, request):
        return Response(s.PositionSerializer(position_list_for(user=request.user), many=True).data)

    def retrieve(self, request, pk=None):
        return Response(s.PositionSerializer(position_get_for(user=request.user, pk=pk)).data)


class KpiView(APIView):
    permission_classes = [IsAuthenticated, HoldsPerm]
    perms = {"*": "targets.view"}

    @extend_schema(
        tags=["kpis"],
        summary=_("KPIs against their targets"),
        description=_(
            "Every KPI of the catalogue for a month, computed as on the KPI page, over the stores "
            "whose targets you see (or one of them)."
        ),
        parameters=[s.KpiQuerySerializer],
        responses={200: s.KpiSerializer(many=True)},
    )
    def get(self, request):
        query = s.KpiQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        month = timezone.localdate().replace(day=1)
        if params.get("month"):
            try:
                month = dt.datetime.strptime(params["month"], "%Y-%m").date()
            except ValueError:
                raise exceptions.ValidationError({"month": [_("Enter a month as YYYY-MM.")]}) from None
        stores = stores_where(request.user, "targets.view")
        if params.get("store"):
            stores = stores.filter(pk=params["store"])
            if not stores.exists():
                raise Http404
        return Response(s.KpiSerializer(kpi_values_for(stores=stores, month=month), many=True).data)
