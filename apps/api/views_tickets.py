"""/api/tickets/: the ticket list with the page's filters, one ticket, a new one, its state and comments."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.customers.selectors import customer_get_for
from apps.org.access import require
from apps.tickets import services
from apps.tickets.selectors import (
    Ticket,
    ticket_comment_form,
    ticket_events,
    ticket_filter,
    ticket_form,
    ticket_get_for,
    ticket_list_for,
    ticket_transition_form,
    ticket_transitions,
)

from . import serializers as s
from .checks import body, require_valid
from .filtering import filter_parameters, filtered
from .pagination import NewestFirst
from .viewsets import ApiViewSet

TAG = "tickets"


def _filterset_for_schema():
    return ticket_filter(None, queryset=None, user=None, stores=None)


@extend_schema_view(
    list=extend_schema(
        tags=[TAG],
        summary=_("Tickets you may see"),
        description=_("The ticket list of the page, with its filters; newest first, a cursor to page on."),
        parameters=filter_parameters(_filterset_for_schema),
    ),
    retrieve=extend_schema(tags=[TAG], summary=_("One ticket, with its history")),
)
class TicketViewSet(ApiViewSet):
    model = Ticket
    perms = {
        "list": "tickets.view",
        "retrieve": "tickets.view",
        "create": "tickets.work",
        "transition": "tickets.work",
        "comments.get": "tickets.view",
        "comments.post": "tickets.work",
    }
    pagination_class = NewestFirst
    serializer_class = s.TicketSerializer

    def list(self, request):
        filterset = filtered(request, ticket_filter, queryset=ticket_list_for(user=request.user))
        page = self.paginate_queryset(filterset.qs)
        return self.get_paginated_response(s.TicketSerializer(page, many=True).data)

    def _ticket(self, request, pk, perm: str = "tickets.view"):
        ticket = ticket_get_for(user=request.user, pk=pk)
        require(request.user, perm, ticket.store)
        return ticket

    def _detail(self, ticket, *, code=status.HTTP_200_OK):
        context = {"events": ticket_events(ticket=ticket), "transitions": ticket_transitions(ticket=ticket)}
        return Response(s.TicketDetailSerializer(ticket, context=context).data, status=code)

    def retrieve(self, request, pk=None):
        return self._detail(self._ticket(request, pk))

    @extend_schema(
        tags=[TAG],
        summary=_("Open a ticket for a customer"),
        description=_(
            "The same rules as the page: a customer of a store where you work tickets; a repair order "
            "needs the promised delivery time; the assignee is a member of the customer's store."
        ),
        request=s.TicketCreateSerializer,
        responses={201: s.TicketDetailSerializer},
    )
    def create(self, request):
        data = body(s.TicketCreateSerializer, request)
        customer = customer_get_for(user=request.user, pk=data.pop("customer"))
        require(request.user, "tickets.work", customer.store)
        cleaned = require_valid(ticket_form(data, customer=customer))
        ticket = services.ticket_create(
            store=customer.store, customer=customer, created_by=request.user, **cleaned
        )
        return self._detail(ticket_get_for(user=request.user, pk=ticket.pk), code=status.HTTP_201_CREATED)

    @extend_schema(
        tags=[TAG],
        summary=_("Move a ticket to another state"),
        description=_("Only the moves the ticket's state allows (see `transitions` on the ticket)."),
        request=s.TicketTransitionSerializer,
        responses={200: s.TicketDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        ticket = self._ticket(request, pk, "tickets.work")
        cleaned = require_valid(ticket_transition_form(body(s.TicketTransitionSerializer, request)))
        services.ticket_transition(ticket=ticket, to=cleaned["to"], by=request.user, note=cleaned["note"])
        return self._detail(self._ticket(request, pk))

    @extend_schema(
        tags=[TAG],
        summary=_("The ticket's comments"),
        responses={200: s.TicketEventSerializer(many=True)},
        methods=["GET"],
    )
    @extend_schema(
        tags=[TAG],
        summary=_("Add a comment"),
        request=s.TicketCommentSerializer,
        responses={201: s.TicketEventSerializer},
        methods=["POST"],
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def comments(self, request, pk=None):
        if request.method == "GET":
            ticket = self._ticket(request, pk)
            comments = [e for e in ticket_events(ticket=ticket) if e.kind == "comment"]
            return Response(s.TicketEventSerializer(comments, many=True).data)
        ticket = self._ticket(request, pk, "tickets.work")
        cleaned = require_valid(ticket_comment_form(body(s.TicketCommentSerializer, request)))
        event = services.ticket_comment(ticket=ticket, by=request.user, text=cleaned["text"])
        return Response(s.TicketEventSerializer(event).data, status=status.HTTP_201_CREATED)
