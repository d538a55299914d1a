"""Rate figures on the web pages written as the takstbilag writes them."""

from django import template

from takster.takstbilag import fmt_pct

register = template.Library()


@register.filter
def change_pct(value, decimals: int = 1) -> str:
    """A change in per cent with its sign, as in the takstbilag: "+3,7 %", "-1,2 %", "0,0 %"."""
    return fmt_pct(value, int(decimals), signed=True) if value is not None else ""
