"""Every list filter of the app (each FilterSet under apps/, found by walking the modules):
sort options are labelled whole in both directions (never django-filter's untranslated
"… (descending)" tacked onto a field name), and a yes / no filter starts at "All", never "Unknown"."""

import importlib
from pathlib import Path

import django_filters
import pytest
from django import forms
from django.forms.utils import pretty_name
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent


def filtersets() -> list[type[django_filters.FilterSet]]:
    for path in sorted((ROOT / "apps").glob("*/filters.py")):
        importlib.import_module(f"apps.{path.parent.name}.filters")
    found, todo = [], list(django_filters.FilterSet.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("apps."):
            found.append(cls)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__name__}")


def filters_of(kind):
    return [
        pytest.param(fs, name, id=f"{fs.__name__}.{name}")
        for fs in filtersets()
        for name, f in fs.base_filters.items()
        if isinstance(f, kind)
    ]


def test_the_walk_finds_the_lists_filters():
    names = {fs.__name__ for fs in filtersets()}
    assert {"CustomerFilter", "TicketFilter", "BoardFilter"} <= names


@pytest.mark.parametrize(("filterset", "name"), filters_of(django_filters.OrderingFilter))
def test_every_sort_option_is_labelled_whole_in_both_directions(filterset, name):
    f = filterset.base_filters[name]
    with translation.override("en"):
        choices = [(value, str(label)) for value, label in f.extra["choices"]]
    labels = dict(choices)
    for param in f.param_map:
        up, down = labels[param], labels[f"-{param}"]
        assert up != str(pretty_name(param)), f"{param}: no label of its own"
        assert down != f.descending_fmt % up, f"-{param}: django-filter's '(descending)' suffix"


@pytest.mark.django_db
@pytest.mark.parametrize(("filterset", "name"), filters_of(django_filters.BooleanFilter))
def test_a_yes_no_filter_starts_at_all_not_unknown(filterset, name):
    with translation.override("en"):
        form = filterset(data={}, queryset=filterset._meta.model.objects.none()).form
        widget = form.fields[name].widget
        if isinstance(widget, forms.CheckboxInput):  # a tick box: unticked is "all"
            assert "checked" not in str(form[name])
            return
        labels = [str(label) for _value, label in widget.choices]
        assert "Unknown" not in labels
        assert labels[0] == "All" and list(widget.choices)[0][0] == ""
        assert "selected>All</option>" in str(form[name]) or "selected" not in str(form[name])
