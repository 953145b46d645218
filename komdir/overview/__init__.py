"""Mit overblik and the weekly digest: what is new in what a member follows, and what they have seen."""
