"""A member's own data: the export, the deletion of an account, the retention of those who left."""
