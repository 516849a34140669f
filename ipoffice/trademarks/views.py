"""Trademark pages."""

from django.shortcuts import render


def mark_search(request):
    return render(request, "trademarks/search.html", {})
