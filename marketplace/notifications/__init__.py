"""Notifications: in-app notices (inquiries, matches, saved-search hits), e-mail choices, unsubscribe links."""
