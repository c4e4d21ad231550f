"""A user's saved searches: the search's query string, and how far the alerts have looked for new listings."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from marketplace.core.models import created_at_field


class SavedSearch(SQLModel, table=True):
    """Words and filters a user keeps, to re-run and to be told of new listings that fit them."""

    __tablename__ = "saved_searches"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=120)
    # The canonical query string of the validated search parameters (e.g. "q=cafe&country=CO"): what the
    # "run" link opens, and what the alerts job validates again before searching (rules may tighten).
    query: str = Field(max_length=2000)
    created_at: datetime = created_at_field()
    # Listings published from this moment on are news to the search; starts at its creation.
    checked_up_to: datetime = created_at_field()
    last_run_at: datetime | None = None
