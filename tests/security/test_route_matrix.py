"""Every route of the app × every role × objects of side A and side B, answered as route_policy.py says.

The routes come from the app's own route table (tests/security/routes.py), so a route added without a line
in route_policy.py fails test_every_route_is_classified. The matrix sends each (route, role, side) once:
first every GET (the refused ones checked to write nothing), then every unsafe request that must be refused
(each route's batch checked to change nothing in the database), then the unsafe requests that must be
allowed. Unsafe requests carry the role's valid CSRF token (pages) or API token (API), so what refuses them
is the permission layer, not CSRF.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from fastapi.testclient import TestClient
from sqlalchemy import delete, select
from sqlmodel import Session

from marketplace.accounts.models import RateEvent
from marketplace.app import create_app
from marketplace.core.settings import Settings
from marketplace.schema import metadata
from tests.security.route_policy import ROUTES, SKIPPED, Expect, Rule
from tests.security.routes import effective_routes
from tests.security.world import NAMES, ROLES, Role, World, build_world

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
# Columns a request may touch without changing anything (a session's last use, a token's last use).
VOLATILE_COLUMNS = {"last_seen_at", "expires_at", "last_used_at"}
VOLATILE_TABLES = {"rate_events"}


@dataclass(frozen=True)
class Cell:
    rule: Rule
    role: Role
    side: str | None
    expected: Expect

    def label(self, path: str) -> str:
        side = f" side {self.side}" if self.side else ""
        return f"{self.rule.method} {path} as {self.role.name}{side} [{self.rule.policy.__name__}]"


def _cells() -> list[Cell]:
    cells = []
    for rule in ROUTES:
        for side in rule.sides:
            for role in ROLES:
                cells.append(Cell(rule, role, side, rule.policy(role, side)))
    return cells


def test_every_route_is_classified(tmp_path: Path, record_property) -> None:  # type: ignore[no-untyped-def]
    settings = Settings.from_env(
        {"DATABASE_URL": f"sqlite:///{tmp_path / 'unused.db'}", "PUENTE_DATA_DIR": str(tmp_path)}
    )
    routes = effective_routes(create_app(settings))
    in_app = {route.key: route for route in routes}
    classified = {rule.key for rule in ROUTES} | set(SKIPPED)
    unclassified = [route.describe() for key, route in in_app.items() if key not in classified]
    stale = sorted(f"{method} {path}" for method, path in classified - set(in_app))
    cells = _cells()
    by_answer = {e.value: sum(1 for c in cells if c.expected is e) for e in Expect}
    record_property("routes", len(in_app))
    record_property("cells", len(cells))
    print(
        f"\nroute matrix: {len(in_app)} routes in the app, {len(ROUTES)} policy lines, {len(SKIPPED)} skipped,"
        f" {len(ROLES)} roles, {len(cells)} route×role×object cells {by_answer}"
    )
    assert not unclassified, (
        "routes with no line in tests/security/route_policy.py (see its docstring):\n  "
        + "\n  ".join(unclassified)
    )
    assert not stale, (
        "lines in tests/security/route_policy.py for routes the app no longer has:\n  " + "\n  ".join(stale)
    )
    assert not set(SKIPPED) & {rule.key for rule in ROUTES}, "a route is both classified and skipped"
    for rule in ROUTES:
        wanted = {part[1:-1].split(":")[0] for part in rule.path.split("/") if part.startswith("{")}
        assert set(rule.params) == wanted, (
            f"{rule.method} {rule.path}: fill {sorted(wanted)}, not {sorted(rule.params)}"
        )


def _path(cell: Cell, world: World) -> str:
    path = cell.rule.path
    for name, key in cell.rule.params.items():
        path = path.replace("{" + name + "}", str(world.value(cell.side, key)))
    objects = cell.rule.query_objects
    query = "&".join(
        f"{name}={quote(str(world.value(cell.side, objects[name])), safe='')}" if name in objects else part
        for part in cell.rule.query.split("&")
        if part
        for name in [part.partition("=")[0]]
    )
    return path + (f"?{query}" if query else "")


def _send(client: TestClient, world: World, cell: Cell, path: str):  # type: ignore[no-untyped-def]
    credentials = world.credentials[cell.role.name]
    client.cookies.clear()
    for name, value in credentials.cookie.items():
        client.cookies.set(name, value)
    api = path.startswith("/api/")
    headers = {}
    if api and credentials.bearer:
        headers["Authorization"] = f"Bearer {credentials.bearer}"
    method = cell.rule.method
    if method not in UNSAFE:
        return client.request(method, path, headers=headers, follow_redirects=False)
    headers["X-CSRF-Token"] = credentials.csrf
    body = {
        name: world.value(cell.side, value[1:]) if isinstance(value, str) and value.startswith("@") else value
        for name, value in (cell.rule.data or {}).items()
    }
    if api:
        json = body if cell.rule.data is not None else None
        return client.request(method, path, json=json, headers=headers, follow_redirects=False)
    form = {name: str(value) for name, value in body.items()} | {"csrf_token": credentials.csrf}
    return client.request(method, path, data=form, headers=headers, follow_redirects=False)


def _answer(response, cell: Cell) -> Expect | str:  # type: ignore[no-untyped-def]
    status = response.status_code
    if status in cell.rule.ok:
        return Expect.ALLOW
    if status == 403 and ('"csrf"' in response.text or "form has expired" in response.text):
        return "CSRF refused (the matrix's token is wrong)"
    if status == 401:
        return Expect.SIGNIN
    if 300 <= status < 400:
        location = response.headers.get("location", "")
        return Expect.SIGNIN if location.startswith("/signin") else Expect.ALLOW
    if status < 300:
        return Expect.ALLOW
    if status == 404:
        return Expect.NOT_FOUND
    if status == 403:
        return Expect.FORBIDDEN
    if cell.rule.method in UNSAFE and status in (400, 409, 422):
        return Expect.ALLOW  # past the permission check, refused by validation
    return f"status {status}"


def _check(response, cell: Cell, path: str) -> str | None:  # type: ignore[no-untyped-def]
    answer = _answer(response, cell)
    expected = cell.expected
    if expected is Expect.DENIED:
        matches = answer in (Expect.NOT_FOUND, Expect.FORBIDDEN)
    elif expected is Expect.SIGNIN and path.startswith("/api/"):
        matches = response.status_code == 401
    else:
        matches = answer is expected
    if not matches:
        shown = answer.value if isinstance(answer, Expect) else answer
        return f"{cell.label(path)}: expected {expected.value}, got {shown} ({response.status_code})"
    if expected in (Expect.NOT_FOUND, Expect.DENIED, Expect.SIGNIN) and cell.side is not None:
        leaked = [name for name in NAMES[cell.side].values() if name in response.text]
        if leaked:
            return f"{cell.label(path)}: the refusal names {leaked}"
    return None


def _snapshot(session: Session) -> dict[str, list[tuple]]:
    """Every row of every table (but volatile columns), to tell that a refused request changed nothing."""
    session.commit()
    rows = {}
    for table in metadata.sorted_tables:
        if table.name in VOLATILE_TABLES:
            continue
        columns = [column for column in table.columns if column.name not in VOLATILE_COLUMNS]
        rows[table.name] = sorted(tuple(map(repr, row)) for row in session.execute(select(*columns)))
    session.commit()
    return rows


def _forget_rate_limits(session: Session) -> None:
    session.execute(delete(RateEvent))
    session.commit()


def test_route_matrix(client: TestClient, session: Session, app_settings: Settings) -> None:
    started = time.monotonic()
    world = build_world(session, client.app.state.settings)  # type: ignore[attr-defined]
    built = time.monotonic() - started
    cells = _cells()
    failures: list[str] = []
    sent = 0

    def run(cell: Cell) -> None:
        nonlocal sent
        path = _path(cell, world)
        response = _send(client, world, cell, path)
        sent += 1
        problem = _check(response, cell, path)
        if problem:
            failures.append(problem)

    # 1. Reading: every GET cell; the refused ones first, and they write nothing either.
    before = _snapshot(session)
    for cell in cells:
        if cell.rule.method not in UNSAFE and cell.expected is not Expect.ALLOW:
            run(cell)
    after = _snapshot(session)
    if after != before:
        changed = sorted(name for name in after if after[name] != before.get(name))
        failures.append(f"refused GET requests changed {changed}")
    for cell in cells:
        if cell.rule.method not in UNSAFE and cell.expected is Expect.ALLOW:
            run(cell)
    timings = {"reads": time.monotonic() - started}
    # 2. Refused writes: none changes the database (checked after each route's batch of refused cells).
    before = _snapshot(session)
    for rule in ROUTES:
        batch = [
            c for c in cells if c.rule is rule and c.rule.method in UNSAFE and c.expected is not Expect.ALLOW
        ]
        for cell in batch:
            run(cell)
            _forget_rate_limits(session)
        if batch:
            after = _snapshot(session)
            if after != before:
                changed = sorted(name for name in after if after[name] != before.get(name))
                roles = sorted({f"{c.role.name}/{c.side}" for c in batch})
                failures.append(f"{rule.method} {rule.path}: refused as {roles}, yet {changed} changed")
                before = after
    timings["refused writes"] = time.monotonic() - started - timings["reads"]
    # 3. Allowed writes; those that break later cells (ending a relationship, removing someone) come last,
    # once a side, each followed by putting the relationships back.
    allowed = [cell for cell in cells if cell.rule.method in UNSAFE and cell.expected is Expect.ALLOW]
    done_last: set[tuple[str, str, str | None]] = set()
    for cell in sorted(allowed, key=lambda c: c.rule.last):
        if cell.rule.last:
            if (cell.rule.method, cell.rule.path, cell.side) in done_last:
                continue
            done_last.add((cell.rule.method, cell.rule.path, cell.side))
        run(cell)
        _forget_rate_limits(session)
        if cell.rule.last:
            world.restore_links(session)

    timings["allowed writes"] = time.monotonic() - started - timings["reads"] - timings["refused writes"]
    timings = {"world": built, "reads": timings["reads"] - built} | {
        name: seconds for name, seconds in timings.items() if name != "reads"
    }
    spent = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in timings.items())
    backend = app_settings.database_url.get_backend_name()
    print(f"\nroute matrix on {backend}: {sent} requests ({spent})")
    shown = "\n  ".join(failures[:150])
    more = f"\n  … and {len(failures) - 150} more" if len(failures) > 150 else ""
    assert not failures, f"{len(failures)} cells answered against route_policy.py:\n  {shown}{more}"


def test_the_matrix_signs_each_role_in_as_itself(client: TestClient, session: Session) -> None:
    """The matrix's direct sign-in is a real one: each role's account page shows the role's own e-mail."""
    world = build_world(session, client.app.state.settings)  # type: ignore[attr-defined]
    for role in ROLES:
        client.cookies.clear()
        for name, value in world.credentials[role.name].cookie.items():
            client.cookies.set(name, value)
        page = client.get("/account", follow_redirects=False)
        if role.signed_in:
            assert page.status_code == 200 and world.users[role.name].email in page.text, role.name
        else:
            assert page.status_code == 303 and page.headers["location"].startswith("/signin")
