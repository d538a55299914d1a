"""The rate round's e-mails: who is told what at each step, in Danish, with a direct link.

Each function composes one kind of message and hands it to `socialaftale.notifications.notify`
(recorded, sent after commit). The services call these at the step they announce.
"""

from __future__ import annotations

import datetime

from django.urls import reverse

from socialaftale.notifications import (
    absolute_url,
    driftsherre_recipients,
    notify,
    sekretariat_recipients,
)

from .takstbilag import fmt_date


def _line_name(line) -> str:
    return f"{line.offer_name} ({line.year})" if line.year else line.offer_name


def _to_driftsherre(submission, *, kind: str, subject: str, body: str, path: str,
                    key: str = ""):
    driftsherre = submission.driftsherre
    return notify(
        kind=kind, to=driftsherre_recipients(driftsherre), subject=subject,
        body=f"Kære {driftsherre.name}\n\n{body}", url=absolute_url(path), key=key,
        driftsherre=driftsherre,
    )


def _to_sekretariat(submission, *, kind: str, subject: str, body: str):
    """A message to the secretariat about a submission, linking its review page."""
    return notify(
        kind=kind, to=sekretariat_recipients(), subject=subject, body=body,
        url=absolute_url(reverse("takster:submission_review", args=[submission.pk])),
        driftsherre=submission.driftsherre,
    )


def _what(submission) -> str:
    year = submission.rate_round.budget_year
    revision = f" (revision {submission.revision})" if submission.revision else ""
    return f"takster {year}{revision} for {submission.driftsherre.name}"


def round_opened(*, rate_round, driftsherre) -> list:
    year = rate_round.budget_year
    template = absolute_url(reverse("takster:template", args=[rate_round.pk, driftsherre.pk]))
    return notify(
        kind="takster.round_opened", to=driftsherre_recipients(driftsherre),
        subject=f"Takstrunde {year} er åbnet – {driftsherre.name}",
        body=(
            f"Kære {driftsherre.name}\n\nTakstrunden for {year} er åbnet. Fristen for at "
            f"indberette er {fmt_date(rate_round.deadline)}.\n\nHent jeres forudfyldte "
            f"takstskema for {year}:\n{template}\n\nUdfyld budgetåret, og upload skemaet på "
            "Takster-siden:"
        ),
        url=absolute_url(reverse("takster:upload_create", args=[rate_round.pk, driftsherre.pk])),
        key=f"takster.round_opened:{rate_round.pk}:{driftsherre.pk}",
        driftsherre=driftsherre,
    )


REMINDER_TEXTS = {
    "14": ("Påmindelse: {days} til fristen for takster {year}",
           "Der er {days} til fristen for at indberette takster for {year} "
           "({deadline}), og vi har endnu ikke modtaget jeres indsendte takstskema."),
    "3": ("Påmindelse: {days} til fristen for takster {year}",
          "Der er {days} til fristen for at indberette takster for {year} ({deadline}), "
          "og vi har endnu ikke modtaget jeres indsendte takstskema."),
    "after": ("Fristen for takster {year} er overskredet",
              "Fristen for at indberette takster for {year} var {deadline}, og vi har endnu "
              "ikke modtaget jeres indsendte takstskema. Indsend det så hurtigt som muligt."),
}


REMINDER_LABELS = {"14": "14 dage før fristen", "3": "3 dage før fristen",
                   "after": "efter fristen"}


def reminder(*, submission, kind: str, today: datetime.date, key: str = "") -> list:
    rate_round = submission.rate_round
    subject, body = REMINDER_TEXTS[kind]
    days = (rate_round.deadline - today).days
    values = {"year": rate_round.budget_year, "deadline": fmt_date(rate_round.deadline),
              "days": "1 dag" if days == 1 else f"{days} dage"}
    return _to_driftsherre(
        submission, kind=f"takster.reminder_{kind}",
        subject=f"{subject.format(**values)} – {submission.driftsherre.name}",
        body=body.format(**values) + "\n\nHent skabelonen, upload det udfyldte skema, og "
        "indsend det her:",
        path=reverse("takster:index"), key=key,
    )


def submitted(*, submission) -> list:
    upload = submission.submitted_upload
    warnings = f", {upload.warnings_count} kvitterede advarsler" if upload.warnings_count else ""
    return _to_sekretariat(
        submission, kind="takster.submitted", subject=f"Indsendt: {_what(submission)}",
        body=(
            f"{submission.driftsherre.name} har indsendt {_what(submission)} (version "
            f"{upload.version}{warnings}).\n\nGennemgå indberetningen her:"
        ),
    )


def returned(*, submission, comments) -> list:
    lines = []
    for comment in comments:
        where = _line_name(comment.line) if comment.line_id else "Hele indberetningen"
        lines.append(f"- {where} ({comment.get_source_display()}): {comment.text}")
    return _to_driftsherre(
        submission, kind="takster.returned",
        subject=f"Returneret med bemærkninger: {_what(submission)}",
        body=(
            f"Sekretariatet har returneret jeres {_what(submission)} med disse "
            "bemærkninger:\n\n" + "\n".join(lines) + "\n\nSvar på bemærkningerne, ret "
            "skemaet, upload det igen, og indsend det. Se bemærkningerne og svar her:"
        ),
        path=reverse("takster:submission_detail", args=[submission.pk]),
    )


def answered(*, answer) -> list:
    comment, submission = answer.reply_to, answer.submission
    where = f" om {_line_name(comment.line)}" if comment.line_id else ""
    return _to_sekretariat(
        submission, kind="takster.answered",
        subject=f"Svar på bemærkning: {_what(submission)}",
        body=(
            f"{submission.driftsherre.name} har svaret på bemærkningen{where}:\n\n"
            f"“{comment.text}”\n\nSvar: {answer.text}\n\nSe gennemgangen her:"
        ),
    )


def lines_rejected(*, submission, lines) -> list:
    text = "\n".join(
        f"- {_line_name(line)}: {line.approval_note or 'ingen begrundelse angivet'}"
        for line in lines
    )
    return _to_driftsherre(
        submission, kind="takster.lines_rejected",
        subject=f"Takster afvist: {len(lines)} linje(r) i {_what(submission)}",
        body=(
            f"Følgende takster i jeres {_what(submission)} er afvist og kommer ikke med i "
            f"takstbilaget:\n\n{text}\n\nDe øvrige takster er ikke holdt tilbage. Se "
            "indberetningen her:"
        ),
        path=reverse("takster:submission_detail", args=[submission.pk]),
    )


def approved(*, submission) -> list:
    how = " ved delegation (sen indberetning)" if submission.delegated else ""
    next_step = (
        "Taksterne er dermed officielle." if submission.delegated
        else "Taksterne forelægges nu DAS Social til godkendelse."
    )
    return _to_driftsherre(
        submission, kind="takster.approved", subject=f"Godkendt: {_what(submission)}",
        body=f"Sekretariatet har godkendt jeres {_what(submission)}{how}. {next_step}\n\n"
             "Se indberetningen her:",
        path=reverse("takster:submission_detail", args=[submission.pk]),
    )


def das_approved(*, submission, approval) -> list:
    return _to_driftsherre(
        submission, kind="takster.das_approved",
        subject=f"Godkendt af DAS Social: {_what(submission)}",
        body=(
            f"DAS Social har godkendt jeres {_what(submission)} ({approval.reference}, "
            f"{fmt_date(approval.date)}). Taksterne kommer med i næste version af "
            "takstbilaget.\n\nSe indberetningen her:"
        ),
        path=reverse("takster:submission_detail", args=[submission.pk]),
    )


def published(*, submission, takstbilag) -> list:
    year = takstbilag.budget_year
    return _to_driftsherre(
        submission, kind="takster.published",
        subject=f"Takstbilag {year} er offentliggjort – {submission.driftsherre.name}",
        body=(
            f"{takstbilag} ({takstbilag.label}) er offentliggjort med jeres {_what(submission)}."
            "\n\nSe og hent takstbilaget her:"
        ),
        path=reverse("takster:takstbilag_year", args=[year]),
        key=f"takster.published:{takstbilag.pk}:{submission.pk}",
    )


def reminder_kind(*, deadline: datetime.date, today: datetime.date) -> str | None:
    """Which deadline reminder is due today: 14 and 3 days before, and after the deadline.

    A day the periodic task missed is caught up the next day (each kind is sent once)."""
    days_left = (deadline - today).days
    if 3 < days_left <= 14:
        return "14"
    if 0 < days_left <= 3:
        return "3"
    if days_left < 0:
        return "after"
    return None
