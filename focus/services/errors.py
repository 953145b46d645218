"""The refusals focus's services raise."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied


class PermissionDenied(DjangoPermissionDenied):
    """An actor tried a write they are not allowed to make.

    Django answers it with 403 and templates/403.html, so a refusal that reaches the request
    is a Danish page, never a 500. Views ask the policy first and answer 404 themselves when
    the user may not even see the object (PRODUCT.md: nothing is revealed).
    """
