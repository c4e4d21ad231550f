"""Builders of search documents for the search tests (keyword-only, valid by default)."""

from __future__ import annotations

import itertools
from typing import Any

from search.documents import ListingDocument, NoticeDocument

_ids = itertools.count(10_000)


def listing_doc(**fields: Any) -> ListingDocument:
    """A published Spanish offer from Colombia unless told otherwise."""
    number = fields.pop("id", None) or next(_ids)
    values: dict[str, Any] = {
        "id": number,
        "kind": "offer",
        "title": f"Producto {number}",
        "description": "Descripción del producto",
        "language": "es",
        "company_id": number,
        "company_name": f"Empresa {number}",
        "country": "CO",
        "published_at": 1_700_000_000 + number,
        "version": 1,
    }
    values.update(fields)
    return ListingDocument(**values)


def notice_doc(**fields: Any) -> NoticeDocument:
    """An active procurement notice from Colombia unless told otherwise."""
    number = fields.pop("id", None) or next(_ids)
    values: dict[str, Any] = {
        "id": number,
        "ocid": f"ocds-test-{number}",
        "title": f"Licitación {number}",
        "description": "Adquisición de bienes",
        "buyer_name": "Ministerio de Pruebas",
        "country": "CO",
        "status": "active",
        "language": "es",
        "published_at": 1_700_000_000 + number,
    }
    values.update(fields)
    return NoticeDocument(**values)
