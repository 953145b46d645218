"""factory_boy factories. Where a service guards an invariant, tests go through the service."""

from __future__ import annotations

import factory
from allauth.account.models import EmailAddress

from members.models import Level, Municipality, Profile, User

PASSWORD = "korrekt-hest-batteri-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@kommune.test")
    first_name = factory.Faker("first_name", locale="da_DK")
    last_name = factory.Faker("last_name", locale="da_DK")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


def municipality(name: str) -> Municipality:
    return Municipality.objects.select_related("region").get(name=name)


def make_member(*, municipality_name: str = "København", level: int = Level.DIRECTOR, **kwargs) -> User:
    """A member with a profile, placed in the circle of their region like an invited member."""
    from circles.services import membership_assign_default

    user = UserFactory(**kwargs)
    Profile.objects.create(
        user=user, title="Direktør", level=level, municipality=municipality(municipality_name)
    )
    membership_assign_default(user=user)
    return user
