"""Invitations (secretariat) and password reset / choosing a password (everyone)."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse_lazy

from .accounts import RecordedPasswordResetForm, user_invite
from .forms import InviteForm
from .permissions import Role, role_required


@role_required(Role.SEKRETARIAT)
def invite(request):
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = user_invite(
                email=data["email"], role=data["role"], driftsherre=data["driftsherre"],
                first_name=data["first_name"], last_name=data["last_name"], by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
        else:
            messages.success(request, f"Invitationen er sendt til {user.email} (brugernavn "
                                      f"{user.username}).")
            return redirect("invite")
    return render(request, "registration/invite_form.html", {"form": form})


password_reset = auth_views.PasswordResetView.as_view(
    form_class=RecordedPasswordResetForm, success_url=reverse_lazy("password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view()
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    success_url=reverse_lazy("password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view()
