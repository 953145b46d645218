"""Site search over focus areas, questions, cases, comments, meeting notes and people."""
