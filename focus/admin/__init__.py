"""focus's admin screens, one module per concept; importing them registers them."""

from focus.admin import contributions, reports, strategy

__all__ = ["contributions", "reports", "strategy"]
