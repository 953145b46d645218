"""Every write in members/, one module per concept; callers keep `from members import services`."""

# The refusals the services raise, for callers that catch them as `services.ValidationError`.
from django.core.exceptions import ValidationError

from members.services.account_parts import (
    ACCOUNT_PROTECTED_MESSAGE,
    AccountProtectedError,
    authenticator_remove,
    email_address_add,
    email_address_delete,
    email_address_update,
)
from members.services.accounts import (
    PRIVILEGE_FIELDS,
    account_privileges_set,
    account_save,
    profile_set,
)
from members.services.invitations import (
    InvitationError,
    InvitationImportError,
    _check_statutes,
    invitation_accept,
    invitation_create,
    invitation_import,
    invitation_resend,
    invitation_revoke,
)
from members.services.members import (
    member_create,
    member_deactivate,
    member_password_set,
    member_reactivate,
    profile_update,
)
from members.services.places import (
    municipality_delete,
    municipality_save,
    region_delete,
    region_save,
)
from members.services.secretariat import (
    SECRETARIAT_ACCOUNT_PERMISSIONS,
    SECRETARIAT_APPS,
    SECRETARIAT_GROUP,
    secretariat_group_sync,
)
from members.services.sessions import session_record_login, sessions_end_for_user

__all__ = [
    "ACCOUNT_PROTECTED_MESSAGE",
    "PRIVILEGE_FIELDS",
    "SECRETARIAT_ACCOUNT_PERMISSIONS",
    "SECRETARIAT_APPS",
    "SECRETARIAT_GROUP",
    "ValidationError",
    "AccountProtectedError",
    "InvitationError",
    "InvitationImportError",
    "_check_statutes",
    "account_privileges_set",
    "account_save",
    "authenticator_remove",
    "email_address_add",
    "email_address_delete",
    "email_address_update",
    "invitation_accept",
    "invitation_create",
    "invitation_import",
    "invitation_resend",
    "invitation_revoke",
    "member_create",
    "member_deactivate",
    "member_password_set",
    "member_reactivate",
    "municipality_delete",
    "municipality_save",
    "profile_set",
    "profile_update",
    "region_delete",
    "region_save",
    "secretariat_group_sync",
    "session_record_login",
    "sessions_end_for_user",
]
