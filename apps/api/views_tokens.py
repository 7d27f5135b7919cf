"""/accounts/api-tokens/: a person's API tokens, on their profile: make one (its secret is shown
once, on the answer to the post), see when each was last used, revoke one."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import selectors, services


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=services.NAME_MAX_LENGTH,
        help_text=gettext_lazy("What will use it, e.g. “DMS import” or “call centre”."),
    )


def _page(request, *, form=None, secret="", token=None, status=200):
    return render(
        request,
        "api/tokens.html",
        {
            "form": form or TokenForm(),
            "tokens": list(selectors.api_tokens_of(user=request.user)),
            "secret": secret,
            "new_token": token,
            "two_factor_ok": services.two_factor_satisfied(request.user),
        },
        status=status,
    )


@login_required
def api_tokens(request):
    if request.method != "POST":
        return _page(request)
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _page(request, form=form, status=400)
    try:
        token, secret = services.api_token_create(user=request.user, name=form.cleaned_data["name"])
    except ValidationError as exc:
        form.add_error(None, exc)
        return _page(request, form=form, status=400)
    return _page(request, secret=secret, token=token)


@login_required
@require_POST
def api_token_revoke(request, pk):
    token = selectors.api_token_get_for(user=request.user, pk=pk)
    services.api_token_revoke(token=token, by=request.user)
    messages.success(request, _("Token “%(name)s” revoked: it no longer works.") % {"name": token.name})
    return redirect("api_tokens")
