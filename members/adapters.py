from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context

from komdir.redirects import is_safe_next


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # The only way in is an invitation from the secretariat (members.services).
        return False

    def is_safe_url(self, url: str) -> bool:
        # Only our own host: allauth would also accept every host in ALLOWED_HOSTS and
        # CSRF_TRUSTED_ORIGINS, and plain HTTP on an HTTPS site.
        return is_safe_next(context.request, url)
