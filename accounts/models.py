from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The groups staff and board members belong to; created by a data migration."""

    EDITOR = "Redaktion", _("Editor")
    ASSESSOR = "Bewertung", _("Assessor")
    BOARD = "Beirat", _("Board member")
    ADMINISTRATOR = "Administration", _("Administrator")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """An account. Logs in by email; shown to the public only by its display name."""

    username = None
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=50,
        help_text=_("Shown publicly with your ideas instead of your name."),
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="de"
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                Lower("display_name"),
                name="accounts_user_display_name_ci_unique",
                condition=~models.Q(display_name=""),
                violation_error_message=_("This display name is already taken."),
            )
        ]

    def __str__(self):
        return self.display_name or self.email

    @property
    def audit_label(self) -> str:
        """How the audit log names it (no personal data)."""
        return self.public_name

    @property
    def public_name(self) -> str:
        return self.display_name or _("Member")

    def has_role(self, role: Role) -> bool:
        """Membership of the role's group. Being a superuser is not a role: an administrator
        reviews, assesses or votes only once put in that group."""
        return role in self.role_names

    @cached_property
    def role_names(self) -> frozenset[str]:
        """The names of the account's groups, read once per object (one request's user)."""
        return frozenset(group.name for group in self.groups.all())
