from django.contrib import admin

from .models import CashBoxHandover, CounterfeitNote, TellerPasswordChange, TransactionReport, VoucherPacket

for model in (CounterfeitNote, TransactionReport, CashBoxHandover, VoucherPacket, TellerPasswordChange):
    admin.site.register(model, admin.ModelAdmin)
