"""Accounts without shared passwords: invitations and password resets by one-time link.

Both use Django's own token machinery (`default_token_generator`): the link carries the
user's id and a token that is valid for PASSWORD_RESET_TIMEOUT and stops working as soon as
the password is set. The messages go through `notifications.notify`, so they are recorded.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .notifications import absolute_url, notify
from .services import profile_assign


def password_link(user) -> str:
    """The absolute one-time link where the user chooses a password."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return absolute_url(reverse("password_reset_confirm", args=[uid, token]))


def _username_for(email: str) -> str:
    User = get_user_model()
    base = email.split("@")[0].lower()[:140] or "bruger"
    name, n = base, 1
    while User.objects.filter(username=name).exists():
        n += 1
        name = f"{base}{n}"
    return name


def user_invite(
    *, email: str, role: str, driftsherre=None, first_name: str = "", last_name: str = "",
    by=None,
):
    """Create a user without a password and e-mail a link to choose one."""
    from .permissions import is_sekretariat

    if by is None or not is_sekretariat(by):
        raise ValidationError("Kun sekretariatet kan invitere brugere.")
    User = get_user_model()
    email = (email or "").strip()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            f"Der findes allerede en bruger med {email}. Send en ny invitation fra "
            "brugerlisten i administrationen."
        )
    with transaction.atomic():
        user = User(username=_username_for(email), email=email, first_name=first_name,
                    last_name=last_name)
        user.set_unusable_password()
        user.save()
        profile_assign(user=user, role=role, driftsherre=driftsherre)
        invitation_send(user=user)
    return user


def invitation_send(*, user) -> None:
    """(Again) e-mail the user a link to choose a password."""
    profile = getattr(user, "profile", None)
    where = f" for {profile.driftsherre.name}" if profile and profile.driftsherre else ""
    role = profile.get_role_display().lower() if profile else "bruger"
    notify(
        kind="account.invite", to=[user.email],
        subject="Invitation til sekretariatssystemet for Nordjysk Socialaftale",
        body=(
            f"Kære {user.get_full_name() or user.email}\n\nSekretariatet for Nordjysk "
            f"Socialaftale har oprettet dig som {role}{where}. Dit brugernavn er "
            f"{user.username}.\n\nVælg din adgangskode via linket herunder. Linket kan kun "
            "bruges én gang og udløber efter 3 dage; bed sekretariatet om et nyt, hvis det er "
            "udløbet."
        ),
        url=password_link(user),
        driftsherre=profile.driftsherre if profile else None,
    )


class RecordedPasswordResetForm(PasswordResetForm):
    """Django's password reset form, sending its e-mail as a recorded notification."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email,
                  to_email, html_email_template_name=None):
        user = context["user"]
        notify(
            kind="account.password_reset", to=[to_email],
            subject="Nulstil din adgangskode – Nordjysk Socialaftale",
            body=(
                f"Kære {user.get_full_name() or user.username}\n\nVi har fået en anmodning om "
                f"at nulstille adgangskoden for brugeren {user.username}. Vælg en ny "
                "adgangskode via linket herunder. Linket kan kun bruges én gang. Har du ikke "
                "bedt om det, kan du se bort fra denne e-mail."
            ),
            url=absolute_url(reverse("password_reset_confirm",
                                     args=[context["uid"], context["token"]])),
        )
