from django import template

from apps.targets.richtext import render_markdown

register = template.Library()


@register.filter(is_safe=True)
def rich(text):
    """`{{ plan.training|rich }}`: Markdown prose as sanitised HTML (see apps.targets.richtext)."""
    return render_markdown(text)
