"""Rules to lift: a case's author names the rules the case wants lifted (from the list, or a new
one the secretariat confirms); each rule has a page of its cases; the list shows the rules members
cite most, by focus area, counting only cases the reader may read."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from focus.models import FocusArea
from focus.voice import services
from focus.voice.models import CaseRule, Rule
from tests.focus.conftest import make_case

pytestmark = pytest.mark.django_db


def test_the_author_names_rules_and_a_proposed_one_counts_once_confirmed(
    client, secretariat, member, other_member, area
):
    listed = services.rule_create(actor=secretariat, law="serviceloven", paragraph="§83")
    assert (listed.law, listed.paragraph, listed.confirmed) == ("Serviceloven", "§ 83", True)
    case = make_case(member, area, title="Frit valg af hjælp", public=True)
    client.force_login(member)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Nævn en regel, casen vil have løftet" in page
    client.post(f"/regler/cases/{case.pk}/", {"rule": listed.pk, "use": "lift"})
    response = client.post(
        f"/regler/cases/{case.pk}/",
        {"law": "Dagtilbudsloven", "paragraph": "§ 4", "use": "around"},
        follow=True,
    )
    assert "Sekretariatet bekræfter den" in response.content.decode()
    proposed = Rule.objects.get(law="Dagtilbudsloven")
    assert not proposed.confirmed and CaseRule.objects.filter(case=case).count() == 2
    visitor = Client()
    assert "Dagtilbudsloven" not in visitor.get("/regler/").content.decode()
    assert visitor.get(proposed.get_absolute_url()).status_code == 404
    assert (
        "Serviceloven § 83" in visitor.get(case.get_absolute_url()).content.decode()
    )  # the case page names it
    services.rule_confirm(actor=secretariat, rule=proposed)
    assert "Dagtilbudsloven" in visitor.get("/regler/").content.decode()
    # Only the author names rules in their case.
    with pytest.raises(PermissionDenied):
        services.case_rule_add(actor=other_member, case=case, rule=listed)
    with pytest.raises(ValidationError, match="allerede nævnt"):
        services.case_rule_add(actor=member, case=case, rule=listed)


def test_the_list_counts_only_cases_the_reader_may_read_and_filters_by_area(
    secretariat, member, other_member
):
    rule = services.rule_create(actor=secretariat, law="Serviceloven", paragraph="§ 83")
    first, second = FocusArea.objects.filter(period__status="current").order_by("number")[:2]
    public = make_case(member, first, title="Offentlig", public=True)
    members_only = make_case(other_member, second, title="Kun for medlemmer", public=False)
    for author, case in ((member, public), (other_member, members_only)):
        services.case_rule_add(actor=author, case=case, rule=rule)
    visitor, reader = Client(), Client()
    reader.force_login(member)

    def count_in(client, url):
        page = client.get(url).content.decode()
        row = page.split("Serviceloven § 83")[1].split("</tr>")[0]
        return int(row.rsplit('text-align-right">', 1)[1].split("<")[0])

    assert count_in(visitor, "/regler/") == 1 and count_in(reader, "/regler/") == 2
    assert count_in(reader, f"/regler/?omraade={second.pk}") == 1
    page = visitor.get(rule.get_absolute_url()).content.decode()
    assert public.title in page and members_only.title not in page


def test_the_pages_cost_the_same_with_1_and_50_rules(secretariat, member, area):
    case = make_case(member, area, title="Mange regler", public=True)

    def queries(url):
        with CaptureQueriesContext(connection) as ctx:
            assert Client().get(url).status_code == 200
        return len(ctx.captured_queries)

    first = services.rule_create(actor=secretariat, law="Serviceloven", paragraph="§ 1")
    services.case_rule_add(actor=member, case=case, rule=first)
    small = {url: queries(url) for url in ("/regler/", first.get_absolute_url(), case.get_absolute_url())}
    for i in range(2, 51):
        rule = services.rule_create(actor=secretariat, law="Serviceloven", paragraph=f"§ {i}")
        services.case_rule_add(
            actor=member, case=make_case(member, area, title=f"Case {i}", public=True), rule=rule
        )
        services.case_rule_add(actor=member, case=case, rule=rule)
    for url, count in small.items():
        assert queries(url) == count <= 12, url
