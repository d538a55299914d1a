from django.shortcuts import render

from socialaftale.permissions import Role, role_required


@role_required(Role.SEKRETARIAT, Role.DAS, Role.DRIFTSHERRE)
def index(request):
    return render(request, "bifrost/index.html", {})
