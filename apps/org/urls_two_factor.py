"""/accounts/two-factor/: names without a namespace, next to Django's login, logout and password pages."""

from django.urls import path

from . import two_factor_views as views

urlpatterns = [
    path("", views.two_factor, name="two_factor"),
    path("setup/", views.two_factor_setup, name="two_factor_setup"),
    path("verify/", views.two_factor_verify, name="two_factor_verify"),
    path("recovery-codes/", views.two_factor_recovery_codes, name="two_factor_recovery_codes"),
    path("turn-off/", views.two_factor_turn_off, name="two_factor_turn_off"),
]
