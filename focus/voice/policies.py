"""Who may see and do what with KOMDIR's positions (komdir.lib.policies).

- A published position is read by everyone; its public version (the approved text and the
  quotes the public may read) is the only one any visitor, feed or PDF gets.
- A draft is the secretariat's, until they open it to the members for comments (all members, or
  those of one region): those members read it, and comment while the window is open.
- Only the member whose words are quoted answers the request to quote them.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from focus.models import CaseStatus
from focus.policies import cases as case_policy
from focus.voice.models import (
    GIVEN,
    Citation,
    Collection,
    CollectionAudience,
    Consultation,
    ConsultationInput,
    Position,
    PositionComment,
    PositionStatus,
    Rule,
)
from komdir.lib.policies import EVERYTHING, Conditions, Policy
from members.models import User
from members.policies import is_member, is_secretariat

AnyUser = User | AnonymousUser
VISITOR = AnonymousUser()


def viewer_region_id(user: AnyUser) -> int | None:
    """The region of the member's municipality (cached on the user for the request)."""
    if not is_member(user):
        return None
    if "_komdir_region" not in user.__dict__:
        profile = getattr(user, "profile", None)
        municipality = getattr(profile, "municipality", None) if profile else None
        user.__dict__["_komdir_region"] = municipality.region_id if municipality else None
    return user.__dict__["_komdir_region"]


class PositionPolicy(Policy):
    model = Position
    ACTIONS = ("view", "create", "edit", "open", "comment", "publish", "delete")

    def conditions(self, user: AnyUser) -> Conditions:
        published = {"status": PositionStatus.PUBLISHED}
        # A retired position keeps its public version at its address (old links still work).
        retired = {"status": PositionStatus.ARCHIVED}
        if is_secretariat(user):
            return EVERYTHING
        if not is_member(user):
            return (published, retired)
        opened = {"status": PositionStatus.DRAFT, "comments_until__isnull": False}
        return (
            published,
            retired,
            {**opened, "audience_region_id": None},
            {**opened, "audience_region_id": viewer_region_id(user) or -1},
        )

    def can_create(self, user: AnyUser) -> bool:
        return is_secretariat(user)

    def can_edit(self, user: AnyUser, position: Position) -> bool:
        return is_secretariat(user) and position.is_draft

    def can_open(self, user: AnyUser, position: Position) -> bool:
        return self.can_edit(user, position)

    def can_comment(self, user: AnyUser, position: Position) -> bool:
        return is_member(user) and position.comments_open and self.can_view(user, position)

    def can_publish(self, user: AnyUser, position: Position) -> bool:
        return self.can_edit(user, position)

    def can_delete(self, user: AnyUser, position: Position) -> bool:
        """A draft can be removed; what was published stays on record (it is retired instead)."""
        return self.can_edit(user, position)


class CitationPolicy(Policy):
    """A citation is read where its position is; its source is linked only for who may open it."""

    model = Citation
    ACTIONS = ("view", "create", "delete", "answer")

    def conditions(self, user: AnyUser) -> Conditions:
        found = positions.conditions(user)
        if found == EVERYTHING:
            return EVERYTHING
        return tuple({f"position__{k}": v for k, v in c.items()} for c in found)

    def can_create(self, user: AnyUser, position: Position | None = None) -> bool:
        return position is not None and positions.can_edit(user, position)

    def can_delete(self, user: AnyUser, citation: Citation) -> bool:
        return positions.can_edit(user, citation.position)

    def can_answer(self, user: AnyUser, citation: Citation) -> bool:
        """The quoted member answers "may KOMDIR quote you?", and may change the answer later."""
        return is_member(user) and citation.member_id == user.pk and bool(citation.quote)


def needs_consent(citation: Citation) -> bool:
    """A quote of words the public cannot read already: any comment or consultation input, a case
    visitors cannot open."""
    if not citation.quote:
        return False
    return citation.case_id is None or not case_policy.can_view(VISITOR, citation.case)


def source_live(citation: Citation) -> bool:
    """The cited words still stand where they were written: a case published and not hidden; a
    comment not deleted or hidden, under a parent and on a case that are not hidden. Hiding or
    deleting the source takes the citation out of every output at once. (Needs `case`, `comment`,
    `comment__parent` and `comment__case` loaded.)"""
    if citation.case_id is not None:
        case = citation.case
        return case.status == CaseStatus.PUBLISHED and case.hidden_at is None
    if citation.comment_id is not None:
        comment = citation.comment
        if comment.deleted_at is not None or comment.hidden_at is not None:
            return False
        if comment.parent_id is not None and comment.parent.hidden_at is not None:
            return False
        return comment.case_id is None or (
            comment.case.status == CaseStatus.PUBLISHED and comment.case.hidden_at is None
        )
    return True


def shown_publicly(citation: Citation) -> bool:
    """Whether the public version carries this citation: a case visitors may open (linked, with
    its quote), or a quote its member agreed to (the quote alone, never a members-only case's
    title or text)."""
    if not source_live(citation):
        return False
    if citation.case_id is not None and case_policy.can_view(VISITOR, citation.case):
        return not needs_consent(citation) or citation.consent in GIVEN
    return bool(citation.quote) and citation.consent in GIVEN


class PositionCommentPolicy(Policy):
    model = PositionComment
    ACTIONS = ("view", "create")

    def conditions(self, user: AnyUser) -> Conditions:
        if is_secretariat(user):
            return EVERYTHING
        # Members read the consultation's comments on the drafts opened to them.
        found = positions.conditions(user)
        return tuple(
            {f"position__{k}": v for k, v in c.items()}
            for c in found
            if c.get("status") == PositionStatus.DRAFT
        )

    def can_create(self, user: AnyUser, position: Position | None = None) -> bool:
        return position is not None and positions.can_comment(user, position)


class ConsultationPolicy(Policy):
    """Consultations and the members' input are for members; the secretariat registers them and
    answers. The response, once published, is a public position (PositionPolicy)."""

    model = Consultation
    ACTIONS = ("view", "create", "edit", "give_input", "respond")

    def conditions(self, user: AnyUser) -> Conditions:
        return EVERYTHING if is_member(user) else ()

    def can_create(self, user: AnyUser) -> bool:
        return is_secretariat(user)

    def can_edit(self, user: AnyUser, consultation: Consultation) -> bool:
        return is_secretariat(user)

    def can_give_input(self, user: AnyUser, consultation: Consultation) -> bool:
        return is_member(user) and consultation.input_open

    def can_respond(self, user: AnyUser, consultation: Consultation) -> bool:
        """Start the response (a draft position tied to the consultation)."""
        return is_secretariat(user) and consultation.sent_on is None


class ConsultationInputPolicy(Policy):
    model = ConsultationInput
    ACTIONS = ("view",)

    def conditions(self, user: AnyUser) -> Conditions:
        return EVERYTHING if is_member(user) else ()


class CollectionPolicy(Policy):
    """A published public collection is read by everyone, a published members-only one by
    members; the secretariat builds, publishes and sends them."""

    model = Collection
    ACTIONS = ("view", "create", "edit")

    def conditions(self, user: AnyUser) -> Conditions:
        if is_secretariat(user):
            return EVERYTHING
        public = {"published_at__isnull": False, "audience": CollectionAudience.PUBLIC}
        if not is_member(user):
            return (public,)
        return (public, {"published_at__isnull": False, "audience": CollectionAudience.MEMBERS})

    def can_create(self, user: AnyUser) -> bool:
        return is_secretariat(user)

    def can_edit(self, user: AnyUser, collection: Collection) -> bool:
        return is_secretariat(user)


def case_in_collection(collection: Collection, case, viewer) -> bool:
    """A case stands in a collection as the viewer reads it: a public collection shows only cases
    visitors may open (whoever reads it, and in its PDF and Word file); a members-only one the
    cases the viewer may read."""
    if case.status != CaseStatus.PUBLISHED or case.hidden_at is not None:
        return False  # hidden or withdrawn since it was added: out for every reader, staff too
    reader = VISITOR if collection.is_public else viewer
    return case_policy.can_view(reader, case)


class RulePolicy(Policy):
    """The list of rules is public once the secretariat has confirmed a rule; a proposed one is
    seen by the secretariat and the member who proposed it. A case's author names the rules it
    wants lifted (on the case's page)."""

    model = Rule
    ACTIONS = ("view", "create", "confirm", "cite")

    def conditions(self, user: AnyUser) -> Conditions:
        if is_secretariat(user):
            return EVERYTHING
        if is_member(user):
            return ({"confirmed": True}, {"proposed_by_id": user.pk})
        return ({"confirmed": True},)

    def can_create(self, user: AnyUser) -> bool:
        return is_secretariat(user)

    def can_confirm(self, user: AnyUser, rule: Rule) -> bool:
        return is_secretariat(user) and not rule.confirmed

    def can_cite(self, user: AnyUser, case) -> bool:
        """Name rules in `case`: its author, while they may edit it."""
        return case_policy.can_edit(user, case)


positions = PositionPolicy()
rules = RulePolicy()
collections = CollectionPolicy()
consultations = ConsultationPolicy()
inputs = ConsultationInputPolicy()
citations = CitationPolicy()
member_comments = PositionCommentPolicy()
