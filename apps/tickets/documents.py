"""The printed repair order (委托书) and settlement (结算单)."""

from django.utils import timezone

from apps.customers.selectors import phone_masked
from apps.printing.documents import pdf_response, render_pdf


def _context(ticket):
    return {
        "ticket": ticket,
        "customer": ticket.customer,
        "asset": ticket.asset,
        "phone": phone_masked(customer=ticket.customer),
        "added_items": list(ticket.added_items.select_related("confirmation")),
        "delays": list(ticket.customer_delays.select_related("confirmation")),
        "printed_at": timezone.localtime(),
    }


def order_pdf(ticket, *, request=None):
    pdf = render_pdf("tickets/pdf/order.html", _context(ticket), request=request)
    return pdf_response(pdf, f"委托书-{ticket.number}.pdf")


def settlement_pdf(ticket, *, request=None):
    pdf = render_pdf("tickets/pdf/settlement.html", _context(ticket), request=request)
    return pdf_response(pdf, f"结算单-{ticket.number}.pdf")
