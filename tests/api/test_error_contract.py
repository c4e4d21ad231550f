"""What the schemathesis run found, pinned: ids past the integer range, and the documented error body."""

from __future__ import annotations

from fastapi.testclient import TestClient

HUGE = 10**30  # more than any integer column holds, on SQLite (64 bits) and PostgreSQL


def test_an_id_no_column_can_hold_answers_404_not_500(client: TestClient) -> None:
    api = client.get(f"/api/v1/listings/{HUGE}")
    assert api.status_code == 404
    assert api.json()["error"]["code"] == "not_found"
    assert client.get(f"/companies/{HUGE}").status_code == 404
    assert client.get(f"/listings/{HUGE}").status_code == 404


def test_the_api_schema_documents_the_error_body_it_sends(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    responses = schema["paths"]["/api/v1/listings"]["post"]["responses"]
    for status in ("401", "403", "404", "409", "422"):
        assert responses[status]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/ErrorBody"
        }
    assert "HTTPValidationError" not in str(responses)
    sent = client.post("/api/v1/listings", json={}, headers={"Authorization": "Bearer pte_nope"})
    assert sent.status_code == 401 and set(sent.json()["error"]) == {"code", "message", "fields"}
