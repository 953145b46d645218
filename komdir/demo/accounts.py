"""Demo accounts for `manage.py seed_demo` (PRODUCT.md lists them; other tools rely on them)."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group
from django.db import transaction

from circles.models import Circle, CircleMembership, MembershipRole
from members.models import Level, Municipality, Profile, User
from members.services import SECRETARIAT_GROUP, secretariat_group_sync

DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXP"

# (email, first, last, title, municipality, level, circle slug, role)
DEMO_MEMBERS = [
    (
        "medlem@komdir.test",
        "Mette",
        "Holm",
        "Direktør for Social og Sundhed",
        "København",
        Level.DIRECTOR,
        "hovedstaden",
        MembershipRole.MEMBER,
    ),
    (
        "medlem2@komdir.test",
        "Jens",
        "Kjær",
        "Kommunaldirektør",
        "Aalborg",
        Level.TOP,
        "nordjylland",
        MembershipRole.MEMBER,
    ),
    (
        "kredsformand@komdir.test",
        "Anne",
        "Vestergaard",
        "Kommunaldirektør",
        "Hjørring",
        Level.TOP,
        "nordjylland",
        MembershipRole.LEAD,
    ),
]

# More members so the portal looks lived in: (first, last, title, municipality, level)
EXTRA_MEMBERS = [
    ("Lars", "Bech", "Kommunaldirektør", "Aarhus", Level.TOP),
    ("Hanne", "Sørensen", "Direktør for Børn og Unge", "Aarhus", Level.DIRECTOR),
    ("Peter", "Lund", "Kommunaldirektør", "Odense", Level.TOP),
    ("Sofie", "Mikkelsen", "Direktør for Teknik og Miljø", "Vejle", Level.DIRECTOR),
    ("Karsten", "Thomsen", "Kommunaldirektør", "Roskilde", Level.TOP),
    ("Birgitte", "Nielsen", "Kommunaldirektør", "Næstved", Level.TOP),
    ("Morten", "Dahl", "Kommunaldirektør", "Frederiksberg", Level.TOP),
    ("Louise", "Krogh", "Direktør for Økonomi og Personale", "Gentofte", Level.DIRECTOR),
    ("Søren", "Østergaard", "Kommunaldirektør", "Herning", Level.TOP),
    ("Camilla", "Bak", "Kommunaldirektør", "Thisted", Level.TOP),
    ("Henrik", "Juhl", "Kommunaldirektør", "Esbjerg", Level.TOP),
    ("Marianne", "Friis", "Direktør for Sundhed og Omsorg", "Holbæk", Level.DIRECTOR),
]


def _ensure_user(*, email, first, last, password, is_staff=False) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email)
    user.first_name = first
    user.last_name = last
    user.is_active = True
    user.is_staff = is_staff
    user.set_password(password)
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def _ensure_profile(user: User, *, title: str, municipality_name: str | None, level) -> None:
    municipality = Municipality.objects.get(name=municipality_name) if municipality_name else None
    Profile.objects.update_or_create(
        user=user, defaults={"title": title, "municipality": municipality, "level": level}
    )


def _ensure_membership(user: User, circle_slug: str, role: str) -> None:
    circle = Circle.objects.get(slug=circle_slug)
    CircleMembership.objects.filter(user=user).exclude(circle=circle).delete()
    CircleMembership.objects.update_or_create(user=user, circle=circle, defaults={"role": role})


@transaction.atomic
def seed_accounts(*, password: str, totp_secret: str) -> dict[str, User]:
    accounts: dict[str, User] = {}
    for email, first, last, title, municipality, level, circle, role in DEMO_MEMBERS:
        user = _ensure_user(email=email, first=first, last=last, password=password)
        _ensure_profile(user, title=title, municipality_name=municipality, level=level)
        _ensure_membership(user, circle, role)
        accounts[email] = user

    for index, (first, last, title, municipality, level) in enumerate(EXTRA_MEMBERS, start=1):
        email = f"demo{index:02d}@komdir.test"
        user = _ensure_user(email=email, first=first, last=last, password=password)
        _ensure_profile(user, title=title, municipality_name=municipality, level=level)
        region_id = Municipality.objects.get(name=municipality).region_id
        circle = Circle.objects.filter(region_id=region_id).order_by("pk").first()
        if circle is not None:
            _ensure_membership(user, circle.slug, MembershipRole.MEMBER)
        accounts[email] = user

    secretariat_group_sync()
    staff = _ensure_user(
        email="sekretariat@komdir.test", first="Sara", last="Sekretariat", password=password, is_staff=True
    )
    _ensure_profile(staff, title="Sekretariatschef", municipality_name=None, level=None)
    staff.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
    Authenticator.objects.filter(user=staff).delete()
    TOTP.activate(staff, totp_secret)
    RecoveryCodes.activate(staff)
    accounts["sekretariat@komdir.test"] = staff
    return accounts
