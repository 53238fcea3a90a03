"""The public Mirrors page: official mirror addresses, how to host and how to verify one."""
from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def mirrors(request):
    return render(request, "mirror/mirrors.html", {
        "mirror_urls": settings.MIRROR_URLS, "public_key": settings.MIRROR_PUBLIC_KEY,
    })
