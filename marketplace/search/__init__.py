"""The app's side of search: documents from models, the outbox sync job, reindex, reconcile, search pages."""
