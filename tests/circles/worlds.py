"""One data set with every visibility case of circles, meetings, notes and attachments.

Everything lives in Kreds Nordjylland unless named `other_*` (Kreds Hovedstaden) or `assoc*`
(association-wide). Built through the services; the matrix and the agreement tests share it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser

from circles import services
from circles.models import (
    Attachment,
    Circle,
    Meeting,
    MeetingKind,
    MeetingNote,
    MembershipRole,
    NoteVisibility,
)
from members.models import User
from members.services import member_deactivate
from tests.circles.conftest import make_meeting, make_note, pdf_file
from tests.factories import make_member
from tests.policy_table import make_secretariat


@dataclass
class World:
    users: dict[str, User | AnonymousUser] = field(default_factory=dict)
    circles: dict[str, Circle] = field(default_factory=dict)
    meetings: dict[str, Meeting] = field(default_factory=dict)
    notes: dict[str, MeetingNote] = field(default_factory=dict)
    attachments: dict[str, Attachment] = field(default_factory=dict)
    feed_tokens: dict[str, str] = field(default_factory=dict)

    def user(self, role: str):
        """A fresh copy: the rules cache circle ids on the user object."""
        user = self.users[role]
        return User.objects.get(pk=user.pk) if user.pk else user

    def meeting(self, state: str) -> Meeting:
        return Meeting.objects.select_related("circle").get(pk=self.meetings[state].pk)

    def note(self, state: str) -> MeetingNote:
        return MeetingNote.objects.select_related("meeting__circle").get(pk=self.notes[state].pk)

    def attachment(self, state: str) -> Attachment:
        return Attachment.objects.select_related("meeting__circle", "note__meeting__circle").get(
            pk=self.attachments[state].pk
        )


def build_world() -> World:
    secretariat = make_secretariat()
    nord = Circle.objects.get(slug="nordjylland")
    hoved = Circle.objects.get(slug="hovedstaden")
    lead = make_member(municipality_name="Hjørring", email="formand@kommune.test")
    services.membership_set(user=lead, circle=nord, role=MembershipRole.LEAD)
    other_lead = make_member(municipality_name="Gentofte", email="formand.h@kommune.test")
    services.membership_set(user=other_lead, circle=hoved, role=MembershipRole.LEAD)
    world = World(
        users={
            "visitor": AnonymousUser(),
            # A member of Kreds Hovedstaden: of another circle than the one the objects live in.
            "outsider": make_member(municipality_name="København", email="koebenhavn@kommune.test"),
            "circle_member": make_member(municipality_name="Aalborg", email="aalborg@kommune.test"),
            "lead": lead,
            "other_lead": other_lead,
            "secretariat": secretariat,
            "departed": make_member(municipality_name="Frederikshavn", email="tidligere@kommune.test"),
        },
        circles={"own": nord, "other": hoved},
    )
    for role, user in world.users.items():
        if user.pk:
            world.feed_tokens[role] = services.calendar_token_get_or_create(user=user).token
    member_deactivate(member=world.users["departed"], actor=secretariat)

    meetings = world.meetings
    meetings["circle"] = make_meeting(actor=lead, circle=nord, title="Kredsmøde")
    meetings["cancelled"] = services.meeting_cancel(
        actor=lead, meeting=make_meeting(actor=lead, circle=nord, title="Aflyst kredsmøde", days=12)
    )
    meetings["other_circle"] = make_meeting(actor=other_lead, circle=hoved, title="Hovedstadsmøde")
    meetings["assoc"] = make_meeting(
        actor=secretariat, circle=None, title="Generalforsamling", kind=MeetingKind.GENERAL_ASSEMBLY
    )
    meetings["assoc_cancelled"] = services.meeting_cancel(
        actor=secretariat,
        meeting=make_meeting(actor=secretariat, circle=None, title="Aflyst arrangement", days=14),
    )
    meetings["past"] = make_meeting(actor=lead, circle=nord, title="Sidste måneds møde", days=-30)
    meetings["long_ago"] = make_meeting(actor=lead, circle=nord, title="Møde for to år siden", days=-730)

    def noted(key, *, actor, circle, visibility, publish=True, days):
        meeting = make_meeting(actor=actor, circle=circle, title=f"Møde med referat {key}", days=days)
        meetings[f"{key}_meeting"] = meeting
        world.notes[key] = make_note(
            actor=actor, meeting=meeting, visibility=visibility, publish=publish, body=f"Referat {key}"
        )

    circle_only, members = NoteVisibility.CIRCLE, NoteVisibility.MEMBERS
    noted("circle_only", actor=lead, circle=nord, visibility=circle_only, days=-3)
    noted("members", actor=lead, circle=nord, visibility=members, days=-4)
    noted("draft", actor=lead, circle=nord, visibility=circle_only, publish=False, days=-5)
    noted("draft_members", actor=lead, circle=nord, visibility=members, publish=False, days=-6)
    noted("other_circle_only", actor=other_lead, circle=hoved, visibility=circle_only, days=-7)
    noted("other_members", actor=other_lead, circle=hoved, visibility=members, days=-8)
    noted("assoc", actor=secretariat, circle=None, visibility=members, days=-9)
    noted("assoc_draft", actor=secretariat, circle=None, visibility=members, publish=False, days=-10)

    add = services.attachment_add
    files = world.attachments
    files["on_meeting"] = add(actor=lead, meeting=meetings["circle"], file=pdf_file("kreds.pdf"))
    files["on_other_meeting"] = add(
        actor=other_lead, meeting=meetings["other_circle"], file=pdf_file("hoved.pdf")
    )
    files["on_assoc_meeting"] = add(actor=secretariat, meeting=meetings["assoc"], file=pdf_file("gf.pdf"))
    for state, actor in (
        ("circle_only", lead),
        ("members", lead),
        ("draft", lead),
        ("other_circle_only", other_lead),
        ("assoc", secretariat),
    ):
        files[f"on_{state}_note"] = add(actor=actor, note=world.notes[state], file=pdf_file(f"{state}.pdf"))
    return world
