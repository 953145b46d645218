"""The portal's small library: Markdown, mail, edit conflicts, kept text, page fragments, the
admin's service mixin and the event bus. It imports no app (checked by `lint-imports`)."""
