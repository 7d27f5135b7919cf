"""The day's work: /api/followups/ (the call queue, logging a call) and /api/checklists/ (today's
runs, answering an item)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.checklists import services as checklist_services
from apps.checklists.selectors import (
    ChecklistRun,
    item_answer_form,
    result_of,
    run_get_for,
    run_item_get,
    run_items,
    runs_today_for,
)
from apps.followups import services as followup_services
from apps.followups.selectors import FollowUp, attempt_form, followup_get_for, queue_for
from apps.org.access import can, require

from . import serializers as s
from .checks import body, require_valid
from .pagination import QueueOrder
from .viewsets import ApiViewSet

SECTIONS = [("today", _("Due today")), ("overdue", _("Overdue")), ("upcoming", _("Upcoming"))]


class QueueQuerySerializer(serializers.Serializer):
    section = serializers.ChoiceField(choices=SECTIONS, default="today")
    scope = serializers.ChoiceField(
        choices=[("mine", _("Mine")), ("all", _("All"))],
        required=False,
        help_text=_("Everyone's calls only for those who assign them; yours by default otherwise."),
    )
    q = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")


@extend_schema_view(
    list=extend_schema(
        tags=["followups"],
        summary=_("The follow-up call queue"),
        description=_("As on the queue page: one tab (today, overdue, upcoming), your calls or everyone's."),
        parameters=[QueueQuerySerializer],
    ),
    retrieve=extend_schema(tags=["followups"], summary=_("One follow-up, with its survey questions")),
)
class FollowUpViewSet(ApiViewSet):
    model = FollowUp
    perms = {"list": "followups.view", "retrieve": "followups.view", "calls": "followups.work"}
    pagination_class = QueueOrder
    serializer_class = s.FollowUpSerializer

    def list(self, request):
        query = QueueQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        may_assign = can(request.user, "followups.assign")
        mine = params.get("scope", "all" if may_assign else "mine") == "mine" or not may_assign
        rows = queue_for(user=request.user, section=params["section"], mine=mine, q=params["q"].strip())
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(s.FollowUpSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(s.FollowUpSerializer(followup_get_for(user=request.user, pk=pk)).data)

    @extend_schema(
        tags=["followups"],
        summary=_("Log a call"),
        description=_(
            "The outcome of one call, as on the follow-up's page: reached (with a satisfaction score "
            "and the survey), no answer, call back later (when), or wrong number. A complaint or a low "
            "score opens a ticket."
        ),
        request=s.AttemptInputSerializer,
        responses={201: s.AttemptSerializer},
    )
    @action(detail=True, methods=["post"])
    def calls(self, request, pk=None):
        followup = followup_get_for(user=request.user, pk=pk)
        require(request.user, "followups.work", followup.store)
        data = body(s.AttemptInputSerializer, request)
        answers = data.pop("survey", None) or []
        form_data = {k: v for k, v in data.items() if v is not None}
        form_data |= {f"survey_{i}": answer for i, answer in enumerate(answers)}
        form = attempt_form(form_data, followup=followup)
        cleaned = require_valid(form)
        attempt = followup_services.followup_log_attempt(
            followup=followup,
            by=request.user,
            result=cleaned["result"],
            callback_at=cleaned.get("callback_at"),
            outcome=cleaned.get("outcome", ""),
            satisfaction=cleaned.get("satisfaction"),
            survey=form.survey(),
            requests=cleaned.get("requests", ""),
            request_answered=cleaned.get("request_answered", False),
            complaint=cleaned.get("complaint", ""),
        )
        return Response(s.AttemptSerializer(attempt).data, status=status.HTTP_201_CREATED)


ITEM_ID = OpenApiParameter("item_id", OpenApiTypes.INT, OpenApiParameter.PATH, description=_("The item's id"))


@extend_schema_view(
    list=extend_schema(
        tags=["checklists"],
        summary=_("Your checklists today"),
        responses={200: s.ChecklistRunSerializer(many=True)},
    ),
    retrieve=extend_schema(tags=["checklists"], summary=_("One checklist run, with its items and answers")),
)
class ChecklistRunViewSet(ApiViewSet):
    model = ChecklistRun
    perms = {"list": "checklists.run", "retrieve": "checklists.run", "answer": "checklists.run"}
    pagination_class = None
    serializer_class = s.ChecklistRunDetailSerializer

    def list(self, request):
        return Response(s.ChecklistRunSerializer(runs_today_for(user=request.user), many=True).data)

    def _detail(self, run):
        return s.ChecklistRunDetailSerializer(run, context={"rows": run_items(run)}).data

    def retrieve(self, request, pk=None):
        return Response(self._detail(run_get_for(user=request.user, pk=pk)))

    @extend_schema(
        tags=["checklists"],
        summary=_("Answer one item"),
        description=_(
            "Only the person the run is assigned to answers it. A figure, count or choice goes in "
            "`value`; a failed item needs a note; a second-person item answered OK needs the second "
            "person and their password (counted by the sign-in lockout). Photo items are answered on "
            "the page."
        ),
        parameters=[ITEM_ID],
        request=s.ItemAnswerSerializer,
        responses={200: s.ChecklistItemSerializer},
    )
    @action(detail=True, methods=["post"], url_path="items/<int:item_id>/answer")
    def answer(self, request, pk=None, item_id=None):
        run = run_get_for(user=request.user, pk=pk)
        if run.assignee_id != request.user.pk:
            raise exceptions.PermissionDenied
        item = run_item_get(run=run, pk=item_id)
        data = {k: v for k, v in body(s.ItemAnswerSerializer, request).items() if v is not None}
        form = item_answer_form(data, run=run, item=item)
        cleaned = require_valid(form)
        confirmer = cleaned.get("confirmer")
        checklist_services.item_answer(
            request=request._request,
            run=run,
            item=item,
            user=request.user,
            ok=form.ok,
            value_number=form.value_number,
            value_text=form.value_text,
            note=cleaned.get("note") or "",
            confirmer_id=confirmer.pk if confirmer else None,
            confirmer_password=cleaned.get("confirmer_password") or "",
        )
        result = result_of(run=run, item=item)
        return Response(s.ChecklistItemSerializer(item, context={"results": {item.pk: result}}).data)
