"""The admin front page is grouped by the secretariat's tasks, not by Django app."""

import pytest
from django.contrib import admin
from django.urls import reverse


@pytest.mark.django_db
def test_admin_front_page_is_grouped_by_task(secretariat_client):
    response = secretariat_client.get("/admin/")
    assert response.status_code == 200
    groups = {str(app["name"]): app for app in response.context["app_list"]}
    assert list(groups)[:3] == ["Indhold", "Medlemmer", "Kredse og møder"]
    assert "Revision og adgang" in groups

    def models_of(group):
        return {model["object_name"] for model in groups[group]["models"]}

    assert {"StrategyPeriod", "FocusArea", "GuidingQuestion", "SitePage"} <= models_of("Indhold")
    assert {"User", "Invitation", "Municipality", "Region"} <= models_of("Medlemmer")
    assert {"Circle", "CircleMembership"} <= models_of("Kredse og møder")
    assert "LogEntry" in models_of("Revision og adgang")
    page = response.content.decode()
    for heading in ("Indhold", "Medlemmer", "Kredse og møder"):
        assert heading in page


@pytest.mark.django_db
def test_every_registered_model_is_on_the_front_page_exactly_once(secretariat_client):
    response = secretariat_client.get("/admin/")
    listed = [m["object_name"] for app in response.context["app_list"] for m in app["models"]]
    assert len(listed) == len(set(listed))
    assert {"User", "Invitation", "LogEntry", "Circle"} <= set(listed)


@pytest.mark.django_db
def test_app_pages_and_every_changelist_still_open(secretariat_client):
    assert secretariat_client.get("/admin/members/").status_code == 200
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_view_permission(secretariat_client.get("/admin/").wsgi_request):
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert secretariat_client.get(url).status_code == 200, url
