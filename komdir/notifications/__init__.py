"""Follows, e-mail preferences and the notices members get when something they follow changes.

Above focus and circles: it reacts to their events (komdir.lib.events) and reads their models;
nothing below imports it."""
