"""The member directory and members' profile pages: who the members are and what they wrote."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from circles import caching as circle_caching
from focus import selectors as focus_selectors
from focus.policies import viewer_kind
from komdir.directory import selectors
from komdir.directory.forms import DirectoryFilterForm
from komdir.lib import fragments
from members import policies as member_policies

DIRECTORY_PAGE_SIZE = 30


def directory(request):
    if not member_policies.members.can_list(request.user):
        raise Http404

    def context():
        choices = selectors.member_directory_filters()
        form = DirectoryFilterForm(request.GET or None, **choices)
        filters = form.filters() if request.GET else {}
        members = selectors.member_directory(viewer=request.user, **filters)
        page = Paginator(members, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("side"))
        query = request.GET.copy()
        query.pop("side", None)
        return {"form": form, "page": page, "filtered": any(filters.values()), "query": query.urlencode()}

    # The same for every member of a kind: refreshed by any change to a person (members'
    # rules: everything) or to who sits in which circle.
    content_html = fragments.content(
        request,
        "members/member_directory.html",
        audience=viewer_kind(request.user),
        depends=[circle_caching.MEMBERSHIPS],
        context=context,
    )
    return render(request, "members/member_directory.html", {"content_html": content_html})


def _contributions(*, member, viewer) -> dict:
    """The member's cases and recent comments that `viewer` may read."""
    return {
        "cases": list(focus_selectors.case_list_for_author(author=member, viewer=viewer)[:10]),
        "comments": list(focus_selectors.comment_list_recent_for_author(author=member, viewer=viewer)[:5]),
    }


def profile(request, pk: int):
    member = selectors.member_get(viewer=request.user, pk=pk)
    if member is None:
        raise Http404
    return render(
        request,
        "members/member_profile.html",
        {
            "member": member,
            "profile": getattr(member, "profile", None),
            "circles": [m.circle for m in member.circle_memberships.all()],
            "can_edit": member_policies.members.can_edit_profile(request.user, member),
            **_contributions(member=member, viewer=request.user),
        },
    )
