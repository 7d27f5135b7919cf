"""Survey questions have a kind: 是否准时交车 is answered yes / no, the others with a labelled
score 1–5; the overall satisfaction is labelled too, and answers show as the customer gave them."""

import pytest
from django.urls import reverse
from django.utils import translation

from apps.followups.forms import AttemptForm
from apps.followups.models import Attempt
from tests.factories.followups import make_customer, make_followup

pytestmark = pytest.mark.django_db

ITEMS = ["服务态度", "是否准时交车"]  # stored before questions had kinds


def test_a_yes_no_question_is_asked_yes_or_no_and_a_score_with_labels():
    with translation.override("en"):
        form = AttemptForm(survey_items=ITEMS)
        score, yes_no = form.fields["survey_0"], form.fields["survey_1"]
        assert [v for v, _label in yes_no.choices] == ["yes", "no"]
        assert [str(label) for _v, label in yes_no.choices] == ["Yes", "No"]
        labels = [str(label) for v, label in score.choices if v != ""]
        assert labels[0] == "5 · very satisfied" and labels[-1] == "1 · very dissatisfied"
        overall = [str(label) for v, label in form.fields["satisfaction"].choices if v != ""]
        assert overall == labels


def test_kinds_written_on_the_rule_form_win_over_the_guess():
    form = AttemptForm(
        survey_items=[{"text": "有无异响", "kind": "score"}, {"text": "按时", "kind": "yes_no"}]
    )
    assert [v for v, _l in form.fields["survey_0"].choices if v != ""] == [5, 4, 3, 2, 1]
    assert [v for v, _l in form.fields["survey_1"].choices] == ["yes", "no"]


def test_a_yes_no_answer_is_stored_as_yes_or_no_and_shown_as_such(
    client_for, store, aftersales, organisation
):
    from apps.followups.seeds import rules_seed

    rules = rules_seed(organisation)
    customer = make_customer(store, name="王先生", owner=aftersales)
    fu = make_followup(rules["new-product"], customer)
    fu.survey_items = ITEMS
    fu.save(update_fields=["survey_items"])
    client = client_for(aftersales)
    page = client.get(fu.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'value="yes"' in page and "5 · very satisfied" in page
    response = client.post(
        reverse("followups:attempt", args=[fu.pk]),
        {"result": "reached", "satisfaction": "4", "survey_0": "5", "survey_1": "no"},
    )
    assert response.status_code == 302
    assert Attempt.objects.get().survey == {"服务态度": 5, "是否准时交车": "no"}
    body = client.get(fu.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "是否准时交车: No" in body and "服务态度: 5/5" in body
