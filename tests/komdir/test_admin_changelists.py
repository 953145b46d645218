"""Every admin changelist runs the same number of queries whether it shows 1 row or 50.

The data set is the benchmark builder at a small scale plus the normal demo content, so most
models have dozens of rows; rendering each changelist with one row per page and with fifty
rows per page exposes any per-row query (a missing list_select_related, a property that
queries)."""

import io

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from komdir.demo.large import seed_large

pytestmark = pytest.mark.django_db


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_every_changelist_has_a_constant_number_of_queries_for_1_and_50_rows(secretariat_client, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    call_command("seed_demo", "--force", "--password", "demo-adgangskode-1", stdout=io.StringIO())
    seed_large(password="demo-adgangskode-1", stdout=io.StringIO(), scale_factor=0.01)
    checked, forbidden = [], []
    for model, model_admin in admin.site._registry.items():
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        if secretariat_client.get(url).status_code == 403:
            forbidden.append(url)
            continue
        rows = model._default_manager.count()
        original = model_admin.list_per_page
        try:
            model_admin.list_per_page = 1
            secretariat_client.get(url)  # warm caches (content types, permissions)
            one = _count(secretariat_client, url)
            model_admin.list_per_page = 50
            fifty = _count(secretariat_client, url)
        finally:
            model_admin.list_per_page = original
        assert one == fifty, f"{url}: {one} queries with 1 row, {fifty} with {min(rows, 50)} rows"
        checked.append((url, rows))
    # Only privilege administration and the operator's task queue are closed to non-superuser staff.
    assert set(forbidden) <= {
        "/admin/auth/group/",
        "/admin/auth/permission/",
        "/admin/django_tasks_database/dbtaskresult/",
    }, forbidden
    # The check means something only if most changelists really had many rows.
    assert sum(1 for _url, rows in checked if rows >= 2) >= len(checked) * 2 // 3, checked
