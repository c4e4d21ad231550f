"""Moderation: users' reports, the admins' queue and actions (hide, warn, suspend, undo), the audit trail,
and the index-health page."""
