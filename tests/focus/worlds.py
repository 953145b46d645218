"""One data set with every visibility case of cases and comments, built through the services.

The policy matrix (test_policies*.py) and the agreement tests read the same world, so a row of
the matrix and the queryset check speak of the same objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser

from circles.models import Circle, MembershipRole
from circles.services import membership_set
from focus import services
from focus.models import Case, Comment, FocusArea
from members.models import User
from members.services import member_deactivate
from tests.factories import make_member
from tests.focus.conftest import make_case
from tests.policy_table import make_secretariat


@dataclass
class World:
    users: dict[str, User | AnonymousUser] = field(default_factory=dict)
    cases: dict[str, Case] = field(default_factory=dict)
    comments: dict[str, Comment] = field(default_factory=dict)

    def user(self, role: str):
        """A fresh copy: the rules cache circle ids on the user object."""
        user = self.users[role]
        return User.objects.get(pk=user.pk) if user.pk else user

    def case(self, state: str) -> Case:
        return Case.objects.get(pk=self.cases[state].pk)

    def comment(self, state: str) -> Comment:
        return Comment.objects.select_related("case", "parent").get(pk=self.comments[state].pk)


def build_world() -> World:
    secretariat = make_secretariat()
    area = FocusArea.objects.get(period__status="current", number=1)
    question = area.questions.order_by("order").first()
    author = make_member(municipality_name="København", email="forfatter@kommune.test")
    member = make_member(municipality_name="Aalborg", email="medlem@kommune.test")
    lead = make_member(municipality_name="Hjørring", email="formand@kommune.test")
    membership_set(user=lead, circle=Circle.objects.get(slug="nordjylland"), role=MembershipRole.LEAD)
    departed = make_member(municipality_name="Odense", email="tidligere@kommune.test")
    member_deactivate(member=departed, actor=secretariat)
    world = World(
        users={
            "visitor": AnonymousUser(),
            "member": member,
            "author": author,
            "lead": lead,
            "secretariat": secretariat,
            "departed": departed,
        }
    )

    def hide(obj):
        return services.content_hide(obj=obj, actor=secretariat, reason="Personfølsomt")

    cases = world.cases
    cases["public"] = make_case(author, area, title="Offentlig", public=True)
    cases["members"] = make_case(author, area, title="Kun medlemmer", public=False)
    cases["draft"] = make_case(author, area, title="Kladde", publish=False, public=True)
    cases["hidden"] = make_case(author, area, title="Skjult", public=True)
    cases["hidden_draft"] = hide(make_case(author, area, title="Skjult kladde", publish=False))
    cases["secretariat_draft"] = make_case(secretariat, area, title="Sekretariatets kladde", publish=False)
    cases["secretariat_hidden_draft"] = hide(
        make_case(secretariat, area, title="Sekretariatets skjulte kladde", publish=False)
    )

    add = services.comment_add
    comments = world.comments
    comments["area"] = add(author=author, body="Om området", focus_area=area)
    comments["question"] = add(author=author, body="Om spørgsmålet", question=question)
    comments["case"] = add(author=author, body="Om casen", case=cases["members"])
    comments["public_case"] = add(author=member, body="Om den offentlige", case=cases["public"])
    comments["reply"] = add(author=author, body="Et svar", parent=comments["area"])
    comments["hidden"] = hide(add(author=author, body="Skjult", focus_area=area))
    parent = add(author=member, body="Snart skjult", focus_area=area)
    comments["under_hidden"] = add(author=author, body="Svar under skjult", parent=parent)
    comments["hidden_parent"] = hide(parent)
    comments["deleted"] = services.comment_delete(
        comment=add(author=author, body="Slettet", focus_area=area), actor=author
    )
    comments["on_hidden_case"] = add(author=author, body="På skjult case", case=cases["hidden"])
    cases["hidden"] = hide(cases["hidden"])
    return world
