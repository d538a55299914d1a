from django import template

register = template.Library()


@register.filter
def person_line(person) -> str:
    """"Name, title, organisation" as the minutes write a participant."""
    parts = (person.name, person.title, person.organisation_label)
    return ", ".join(part for part in parts if part)
