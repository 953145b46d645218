from django.urls import path
from django.views.decorators.http import conditional_page

from focus import views
from focus.feeds import AreaCasesFeed
from komdir.lib.access import public

app_name = "focus"

urlpatterns = [
    path("perioder/", views.period_list, name="period_list"),
    path("perioder/<slug:period_slug>/", views.period_detail, name="period_detail"),
    path("perioder/<slug:period_slug>/<slug:area_slug>/", views.area_detail, name="area_detail"),
    path("side/<slug:slug>/", views.page, name="page"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/ny/", views.case_create, name="case_create"),
    path("cases/mine-kladder/", views.my_drafts, name="my_drafts"),
    path("cases/<int:pk>-<slug:slug>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/rediger/", views.case_edit, name="case_edit"),
    path("droeftelse/<str:kind>/<int:pk>/", views.discussion, name="discussion"),
    path("kommentarer/<int:pk>/", views.comment_permalink, name="comment_permalink"),
    path("kommentarer/ny/<str:kind>/<int:pk>/", views.comment_add, name="comment_add"),
    path("kommentarer/<int:pk>/svar/", views.comment_reply, name="comment_reply"),
    path("kommentarer/<int:pk>/rediger/", views.comment_edit, name="comment_edit"),
    path("kommentarer/<int:pk>/slet/", views.comment_delete, name="comment_delete"),
    path("indberet/<str:kind>/<int:pk>/", views.report, name="report"),
    # Feed readers poll: Last-Modified and ETag answer them 304 while nothing changed.
    path(
        "perioder/<slug:period_slug>/<slug:area_slug>/cases.atom",
        public(conditional_page(AreaCasesFeed())),
        name="area_feed",
    ),
]
