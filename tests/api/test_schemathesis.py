"""Schemathesis over the app's whole OpenAPI schema: no server error anywhere, the JSON API as documented.

One seeded SQLite database; the generated requests carry real credentials (an API token for /api/v1, a
session cookie and its CSRF header for the pages) of a user who owns a company with listings and advises a
centre, so operations get past 401 and reach their services. Fixed seed, bounded examples, no shrinking.
"""

from __future__ import annotations

import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

# Cases per operation: the JSON API gets most of the budget; the whole run stays under two minutes.
API_EXAMPLES = 30
PAGE_EXAMPLES = 10
NEGATIVE_EXAMPLES = 10  # per JSON API operation
API_CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
NEGATIVE_CHECKS = [*API_CHECKS, negative_data_rejection]
# Pages answer HTML, redirects and form re-renders that FastAPI's generated schema does not describe: for
# them the schema is only a source of inputs, and the one rule is that no input makes the server fail.
PAGE_CHECKS = [not_a_server_error]
# Operations that would end the fuzzing user's own session or account, cutting every later case to a 401.
SELF_ENDING = {
    "POST /signout", "POST /account/delete", "POST /account/sessions/{session_id}/end",
    "POST /account/tokens/{token_id}/revoke",
}  # fmt: skip


@dataclass
class Target:
    app: object
    api_headers: dict[str, str]
    page_headers: dict[str, str]
    cookies: dict[str, str]


@pytest.fixture
def target(tmp_path: Path, sqlite_template: Path) -> Target:
    from sqlmodel import Session

    from marketplace.accounts.models import Membership
    from marketplace.accounts.sessions import SESSION_COOKIE, start_session
    from marketplace.accounts.tokens import create_token
    from marketplace.app import create_app
    from marketplace.centres.models import Advisor
    from marketplace.core.db import make_engine
    from marketplace.core.models import utcnow
    from marketplace.core.security import csrf_token
    from marketplace.core.settings import Settings
    from marketplace.inquiries.models import Inquiry, Message
    from marketplace.outcomes.models import Outcome
    from marketplace.procurement.models import ProcurementNotice
    from tests.centres.helpers import make_centre, make_client
    from tests.factories import make_company, make_listing
    from tests.webtools import make_user

    shutil.copy(sqlite_template, tmp_path / "puente.db")
    app_settings = Settings.from_env({"PUENTE_DATA_DIR": str(tmp_path)})
    engine = make_engine(app_settings.database_url)
    with Session(engine, expire_on_commit=False) as session:
        owner = make_user(session, email="owner@fuzz.example", name="Olga Owner")
        company = make_company(session, name="Fuzz Coffee", country="CO")
        session.add(Membership(user_id=owner.id, company_id=company.id, role="owner"))  # type: ignore[arg-type]
        first = make_listing(session, company=company, title="Café verde excelso")
        make_listing(session, company=company, title="Café tostado medio", status="draft")
        make_listing(session, company=company, title="Sacos de yute para café", kind="request")
        centre = make_centre(session, name="CDE Fuzz", country="CO")
        session.add(Advisor(user_id=owner.id, centre_id=centre.id))  # type: ignore[arg-type]
        make_client(session, centre=centre, company=company)
        other = make_company(session, name="Otra Empresa", country="MX")
        avocado = make_listing(session, company=other, title="Aguacate Hass calibre 18")
        # Objects with id 1 for the generated ids to find: a thread, a reported outcome, a tender notice.
        stranger = make_user(session, email="buyer@otra.example", name="Bruno Buyer")
        session.add(Membership(user_id=stranger.id, company_id=other.id, role="owner"))  # type: ignore[arg-type]
        thread = Inquiry(
            kind="inquiry", listing_id=first.id, from_company_id=other.id, from_user_id=stranger.id,
            to_company_id=company.id,
        )  # fmt: skip
        session.add(thread)
        session.flush()
        session.add(
            Message(
                inquiry_id=thread.id,
                sender_user_id=stranger.id,
                sender_company_id=other.id,
                body="¿Precio FOB?",
            )
        )  # type: ignore[arg-type]
        session.add(
            Outcome(company_id=company.id, centre_id=centre.id, reported_by_user_id=owner.id, kind="sale",
                    occurred_on=utcnow().date(), counterpart="Otra Empresa", inquiry_id=thread.id)
        )  # fmt: skip
        session.add(ProcurementNotice(ocid="ocds-fuzz-1", title="Adquisición de café", country="CO"))
        assert avocado.id
        _, raw_token = create_token(session, owner, name="fuzz")
        cookie = start_session(session, owner, user_agent="schemathesis", ip_address="127.0.0.1")
        session.commit()
    engine.dispose()
    # The HS taxonomy loads on the first suggestion (seconds on a busy machine): load it before the clock runs.
    from search.taxonomy.hs_search import suggest_hs

    suggest_hs("café", "es", limit=1)
    app = create_app(app_settings)
    return Target(
        app=app,
        api_headers={"Authorization": f"Bearer {raw_token}"},
        page_headers={"X-CSRF-Token": csrf_token(app_settings.secret_key, cookie)},
        cookies={SESSION_COOKIE: cookie},
    )


def _fuzz(
    operation,
    target: Target,
    *,
    label: str,
    cases: Counter[str],
    failures: dict[str, str],
    statuses: dict[str, set[int]],
    negative: bool = False,
) -> None:  # type: ignore[no-untyped-def]
    """Send the operation's generated cases with the fuzzing user's credentials; keep its first failure.

    `negative`: cases that break the schema (wrong types, missing fields…), which must be refused with a 4xx.
    """
    is_api = operation.path.startswith("/api/")
    mode = GenerationMode.NEGATIVE if negative else GenerationMode.POSITIVE

    @settings(
        max_examples=NEGATIVE_EXAMPLES if negative else API_EXAMPLES if is_api else PAGE_EXAMPLES,
        derandomize=True,  # a fixed seed: the same cases on every run
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: the first failure's report is enough
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case) -> None:  # type: ignore[no-untyped-def]
        cases[label] += 1
        if is_api:
            case.headers = {**(case.headers or {}), **target.api_headers}
            checks = NEGATIVE_CHECKS if negative else API_CHECKS
        else:
            case.headers = {**(case.headers or {}), **target.page_headers}
            case.cookies = {**(case.cookies or {}), **target.cookies}
            checks = PAGE_CHECKS
        try:
            response = case.call_and_validate(checks=checks)
            if not negative:
                statuses.setdefault(label, set()).add(response.status_code)
        except FailureGroup as exc:
            failures.setdefault(label, str(exc))
        except Exception as exc:  # the ASGI transport re-raises what the app did not handle: a 500
            failures.setdefault(label, f"{type(exc).__name__}: {exc} for {case.as_curl_command()}")

    try:
        run()
    except Unsatisfiable:
        if not negative:
            raise  # an operation without parameters or body has nothing to break: no negative cases


def test_no_operation_fails_and_the_json_api_answers_as_documented(target: Target) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", target.app)
    failures: dict[str, str] = {}
    cases: Counter[str] = Counter()
    statuses: dict[str, set[int]] = {}
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:
        label = f"{operation.method.upper()} {operation.path}"
        if label in SELF_ENDING:
            continue
        _fuzz(operation, target, label=label, cases=cases, failures=failures, statuses=statuses)
        if operation.path.startswith("/api/"):
            _fuzz(
                operation, target, label=f"negative {label}", cases=cases, failures=failures, statuses=statuses,
                negative=True,
            )  # fmt: skip
    api = {label: codes for label, codes in statuses.items() if " /api/" in label}
    succeeded = [label for label, codes in api.items() if any(200 <= code < 300 for code in codes)]
    print(
        f"schemathesis: {len(operations)} operations, {sum(cases.values())} generated cases; "
        f"{len(succeeded)} of {len(api)} API operations answered 2xx at least once"
    )
    for label, codes in sorted(api.items()):
        print(f"  {label}: {sorted(codes)}")
    # The token stays valid throughout: a 401 would mean the cases stopped at the door.
    assert [label for label, codes in api.items() if 401 in codes] == []
    assert not failures, "\n\n".join(f"### {label}\n{text}" for label, text in failures.items())
