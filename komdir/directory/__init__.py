"""The member directory: every member's profile page, their circles and what they wrote."""
