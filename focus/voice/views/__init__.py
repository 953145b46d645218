"""The pages of what KOMDIR says: positions (and consultation responses, which are positions tied
to a consultation) in `positions`, the consultations themselves in `consultations`."""
