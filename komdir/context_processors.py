from django.conf import settings

from members.policies import is_member, is_secretariat


def portal(request):
    user = getattr(request, "user", None)
    return {
        "site_name": "KOMDIR-portalen",
        "viewer_is_member": bool(user) and is_member(user),
        "viewer_is_secretariat": bool(user) and is_secretariat(user),
        "debug": settings.DEBUG,
    }
