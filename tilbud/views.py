from django.shortcuts import render


def offer_list(request):
    return render(request, "tilbud/list.html", {})
