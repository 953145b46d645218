from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from focus import views as focus_views
from komdir import views
from komdir.lib.access import public

urlpatterns = [
    path("", focus_views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    # The language switch works for visitors too. It carries no CSRF token, so a visitor's page
    # mints no CSRF cookie and the same page can be shared by every visitor: all a forged
    # request could do is switch someone's language (it changes only the language cookie).
    path("i18n/setlang/", public(csrf_exempt(set_language)), name="set_language"),
    path("", include("members.urls")),
    path("", include("focus.urls")),
    path("", include("focus.voice.urls")),
    path("", include("circles.urls")),
    path("", include("circles.polls.urls")),
    path("", include("circles.decisions.urls")),
    path("", include("komdir.notifications.urls")),
    path("", include("komdir.overview.urls")),
    path("", include("komdir.directory.urls")),
    path("", include("komdir.search.urls")),
    path("", include("komdir.privacy.urls")),
]

handler404 = "komdir.views.page_not_found"
handler500 = "komdir.views.server_error"
