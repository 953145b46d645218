"""Every write of what KOMDIR says: the portal's pages, the admin and the demo call these."""

from focus.voice.services.consultations import (
    CONSULTATION_FIELDS,
    consultation_create,
    consultation_input_add,
    consultation_mark_sent,
    consultation_respond,
    consultation_update,
)
from focus.voice.services.positions import (
    ANSWERS,
    POSITION_FIELDS,
    RESERVED_SLUGS,
    citation_add,
    citation_remove,
    consent_answer,
    member_voice_data_erase,
    position_comment_add,
    position_create,
    position_delete,
    position_open,
    position_publish,
    position_update,
)

__all__ = [
    "ANSWERS",
    "CONSULTATION_FIELDS",
    "POSITION_FIELDS",
    "RESERVED_SLUGS",
    "citation_add",
    "citation_remove",
    "consent_answer",
    "consultation_create",
    "consultation_input_add",
    "consultation_mark_sent",
    "consultation_respond",
    "consultation_update",
    "member_voice_data_erase",
    "position_comment_add",
    "position_create",
    "position_delete",
    "position_open",
    "position_publish",
    "position_update",
]
