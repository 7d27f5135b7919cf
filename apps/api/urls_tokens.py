"""/accounts/api-tokens/: names without a namespace, next to the other pages of one's profile."""

from django.urls import path

from . import views_tokens as views

urlpatterns = [
    path("", views.api_tokens, name="api_tokens"),
    path("<int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
]
