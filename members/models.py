from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The members `user` may see (members.policies.MemberPolicy states who)."""
        from members.policies import members  # the same app's policies import this module

        return members.visible(user, self)

    def listed_to(self, user):
        """The people the member directory lists to `user`, and so the only people search finds."""
        from members.policies import members  # the same app's policies import this module

        return members.listed(user, self)


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who can log in: a member or a member of the secretariat. E-mail is the login."""

    email = models.EmailField(_("e-mail"), unique=True)
    first_name = models.CharField(_("fornavn"), max_length=150)
    last_name = models.CharField(_("efternavn"), max_length=150)
    is_active = models.BooleanField(
        _("aktiv"),
        default=True,
        help_text=_("Fjern markeringen for et medlem, der er stoppet, i stedet for at slette."),
    )
    is_staff = models.BooleanField(
        _("sekretariat"), default=False, help_text=_("Må logge ind i administrationen.")
    )
    date_joined = models.DateTimeField(_("oprettet"), default=timezone.now)
    # The retention clock (anonymise_departed) counts from here, not from the last login.
    departed_at = models.DateTimeField(
        _("stoppet"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Hvornår medlemmet blev deaktiveret eller slettede sin konto."),
    )

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = _("bruger")
        verbose_name_plural = _("brugere")
        ordering = ["first_name", "last_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name


class Region(models.Model):
    code = models.CharField(_("regionskode"), max_length=4, unique=True)
    name = models.CharField(_("navn"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regioner")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    code = models.CharField(_("kommunekode"), max_length=4, unique=True)
    name = models.CharField(_("navn"), max_length=100, unique=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("region")
    )

    class Meta:
        verbose_name = _("kommune")
        verbose_name_plural = _("kommuner")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Level(models.IntegerChoices):
    # Statutes §3: the municipality's top executive (level 1) and at most two level-2 directors.
    TOP = 1, _("Niveau 1 (kommunaldirektør)")
    DIRECTOR = 2, _("Niveau 2 (direktør)")


# Statutes §3: at most this many members per municipality and level.
STATUTES_LIMIT = {Level.TOP: 1, Level.DIRECTOR: 2}


class Profile(models.Model):
    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="profile", verbose_name=_("bruger")
    )
    title = models.CharField(_("stillingsbetegnelse"), max_length=150, blank=True)
    level = models.PositiveSmallIntegerField(_("niveau"), choices=Level.choices, null=True, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="profiles",
        verbose_name=_("kommune"),
    )
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    bio = models.TextField(_("kort præsentation"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("medlemsprofil")
        verbose_name_plural = _("medlemsprofiler")

    def __str__(self) -> str:
        return str(self.user)


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """An invitation from the secretariat: the only way to become a user of the portal.

    Only a SHA-256 digest of the token is stored, so a database leak does not leak
    working invitation links.
    """

    email = models.EmailField(_("e-mail"))
    first_name = models.CharField(_("fornavn"), max_length=150)
    last_name = models.CharField(_("efternavn"), max_length=150)
    title = models.CharField(_("stillingsbetegnelse"), max_length=150, blank=True)
    level = models.PositiveSmallIntegerField(_("niveau"), choices=Level.choices)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="invitations", verbose_name=_("kommune")
    )
    override_statutes = models.BooleanField(
        _("tilsidesæt vedtægternes grænse"),
        default=False,
        help_text=_(
            "Vedtægterne (§3) tillader én på niveau 1 og højst to på niveau 2 pr. kommune. "
            "Markér kun, hvis bestyrelsen har besluttet en undtagelse."
        ),
    )
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("oprettet af"),
    )
    created_at = models.DateTimeField(_("oprettet"), default=timezone.now)
    sent_at = models.DateTimeField(_("sendt"), null=True, blank=True)
    expires_at = models.DateTimeField(_("udløber"))
    accepted_at = models.DateTimeField(_("accepteret"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("tilbagekaldt"), null=True, blank=True)
    user = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("bruger"),
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitationer")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_open_invitation_per_email",
                violation_error_message=_("Der er allerede en åben invitation til denne e-mail."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} <{self.email}>"

    @staticmethod
    def digest(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"

    def get_status_display(self) -> str:
        return {
            "accepted": _("Accepteret"),
            "revoked": _("Tilbagekaldt"),
            "expired": _("Udløbet"),
            "pending": _("Afventer"),
        }[self.status]

    def get_accept_url(self, token: str) -> str:
        return reverse("members:invitation_accept", kwargs={"token": token})
