"""What a meeting ends in: decisions, action items with an owner and a due date, and the
participants' comments on a draft of the notes before the lead approves it."""
