"""Danish wording shared by messages, events and commands."""


def plural(count: int, singular: str, plural_form: str) -> str:
    """"1 advarsel", "2 advarsler", "0 advarsler" – never "advarsel(er)"."""
    return f"{count} {singular if count == 1 else plural_form}"
