"""Who may call each route of the app: the registry that tests/security/test_route_matrix.py checks.

How to classify a new route: add ONE line to ROUTES below, `R(METHOD, PATH, POLICY, param="object", ...)`.
PATH is the route's template exactly as FastAPI has it, router prefix included (the failing test prints
it). POLICY is one of the functions below (PUBLIC, SIGNED_IN, MEMBER, OWNER, MEMBER_OR_ADVISOR, PARTY,
SEES_PRIVATE, ADVISOR, ANY_ADVISOR, SELF, NO_ONE, ADMIN): read their docstrings and pick the rule the
route's service enforces; write a new policy only for a genuinely new rule. Each path parameter names the fixture object
that fills it, a key of the side's objects in tests/security/world.py: company, centre, listing (published),
draft, request (a buy request), media, spare_media, draft_media, match, inquiry (the side's to company C),
received (C's to the side), outcome, invitation, member (member_a/_b), other_member (a third member),
session, token, identity (owner_a's/_b's), applicant (a company asking the side's centre), inviter (a centre
that invited the side's company), saved_search, spare_saved_search, notification (owner_a's/_b's), message
(owner_a's/_b's in the thread with C), hidden_listing (published, then hidden by an admin), unsubscribe_token
(a signed link stopping owner_a's/_b's e-mails); shared: notice, offer_c, variant, provider, moderated_type
("listing"), dead_job (a job out of attempts). A query string goes in `query="name=value&…"`, where a value
"@key" becomes the side's object (as in `data`). The matrix sends the route
with side A's objects and with side B's (an advisor route naming a centre and more also with centre 1 and
B's objects, side X), as every role, and expects what the policy says: own side allowed, the other side 404
(never 403, never a body naming the object), signed out the sign-in page (401 for the API). For
POST/PUT/DELETE give `data={...}`, a body that passes the route's schema ("@key" becomes the side's object
id), so that the permission check, not validation, answers. `last=1` (2, 3: later still) runs the allowed
calls of a route that breaks later cells (ending a relationship, removing a member) after all others, once a
side. A route the matrix cannot send goes to SKIPPED with the reason and the test that covers it. The test
fails naming every route of the app missing here, and every line whose route the app no longer has.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from tests.security.world import Role


class Expect(Enum):
    ALLOW = (
        "allowed"  # 2xx, or 3xx not to the sign-in page (unsafe methods: also 400/409/422, past the check)
    )
    SIGNIN = "sign-in"  # 303 to /signin (pages) or 401 (API)
    NOT_FOUND = "404"  # and no name of the object in the body
    FORBIDDEN = "403"  # a member lacking a role in their OWN company
    DENIED = "403/404"  # admin pages to non-admins; owners' actions to the company's other members


ALLOW, SIGNIN, NOT_FOUND, FORBIDDEN, DENIED = Expect

Policy = Callable[[Role, "str | None"], Expect]


def _member(role: Role, side: str | None) -> bool:
    return side is not None and role.member_of == side


def _advisor(role: Role, side: str | None) -> bool:
    return side is not None and role.advises == side


def PUBLIC(role: Role, side: str | None) -> Expect:
    """Anyone, signed in or not (public pages, published objects)."""
    return ALLOW


def SIGNED_IN(role: Role, side: str | None) -> Expect:
    """Any signed-in user; the anonymous visitor is sent to sign in."""
    return ALLOW if role.signed_in else SIGNIN


def MEMBER(role: Role, side: str | None) -> Expect:
    """Owners and members of the company the object belongs to; 404 for everyone else."""
    if not role.signed_in:
        return SIGNIN
    return ALLOW if _member(role, side) else NOT_FOUND


def OWNER(role: Role, side: str | None) -> Expect:
    """Owners of the company; its other members 403 or 404 (it is their own company: either hides nothing);
    everyone else 404."""
    if not role.signed_in:
        return SIGNIN
    if _member(role, side):
        return ALLOW if role.company_role == "owner" else DENIED
    return NOT_FOUND


def MEMBER_OR_ADVISOR(role: Role, side: str | None) -> Expect:
    """The company's members and the advisors of a centre it is an active client of; 404 for the rest."""
    if not role.signed_in:
        return SIGNIN
    return ALLOW if _member(role, side) or _advisor(role, side) else NOT_FOUND


def OWNER_OR_ADVISOR(role: Role, side: str | None) -> Expect:
    """The company's owners and its centre's advisors; its other members 403; 404 for the rest."""
    if _advisor(role, side):
        return ALLOW
    return OWNER(role, side)


def PARTY(role: Role, side: str | None) -> Expect:
    """A thread or match of the side's company with company C: the side's members, and the advisors of its
    centre (who read, and act for their client with its consent); 404 for the rest."""
    return MEMBER_OR_ADVISOR(role, side)


def SEES_PRIVATE(role: Role, side: str | None) -> Expect:
    """Reading an unpublished object: its company's members and advisors; 404 for all others, signed out too."""
    return ALLOW if _member(role, side) or _advisor(role, side) else NOT_FOUND


def ADVISOR(role: Role, side: str | None) -> Expect:
    """Advisors of the centre (and, with a company in the path, of that client of it); 404 for the rest."""
    if not role.signed_in:
        return SIGNIN
    return ALLOW if _advisor(role, side) else NOT_FOUND


def ANY_ADVISOR(role: Role, side: str | None) -> Expect:
    """Anyone advising at some centre; 404 for other signed-in users."""
    if not role.signed_in:
        return SIGNIN
    return ALLOW if role.advises else NOT_FOUND


def SELF(role: Role, side: str | None) -> Expect:
    """An object of the user's own account (a session, a token, a linked identity): side A's belongs to
    owner_a, side B's to owner_b; 404 for everyone else."""
    if not role.signed_in:
        return SIGNIN
    return ALLOW if _member(role, side) and role.company_role == "owner" else NOT_FOUND


def NO_ONE(role: Role, side: str | None) -> Expect:
    """Nobody, not even the owners (e.g. an inquiry about a draft): 404 signed in, the sign-in page signed out."""
    return NOT_FOUND if role.signed_in else SIGNIN


def ADMIN(role: Role, side: str | None) -> Expect:
    """Site administrators only; other users 403 or 404."""
    if not role.signed_in:
        return SIGNIN
    return ALLOW if role.admin else DENIED


@dataclass(frozen=True)
class Rule:
    method: str
    path: str
    policy: Policy
    params: dict[str, str] = field(default_factory=dict)  # path parameter -> world object key
    data: dict | None = None  # the body of an unsafe request ("@key" = that side's object id)
    last: int = 0  # 1, 2, 3: allowed calls change what later cells rely on: run them after all others, once
    ok: frozenset[int] = (
        frozenset()
    )  # further statuses that mean "allowed" (e.g. 400 for a link with no token)
    query: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.method, self.path)

    @property
    def sides(self) -> tuple[str | None, ...]:
        """A and B; also X (centre 1 with B's objects) for an advisor route naming a centre and more."""
        if not self.per_side:
            return (None,)
        mixed = self.policy is ADVISOR and "centre" in self.params.values() and len(self.params) > 1
        return ("A", "B", "X") if mixed else ("A", "B")

    @property
    def per_side(self) -> bool:
        """Whether the route names objects of a side (else it is sent once)."""
        return (
            any(value not in SHARED_OBJECTS for value in self.params.values())
            or any(
                isinstance(v, str) and v.startswith("@") and v[1:] not in SHARED_OBJECTS
                for v in (self.data or {}).values()
            )
            or any(key not in SHARED_OBJECTS for key in self.query_objects.values())
        )

    @property
    def query_objects(self) -> dict[str, str]:
        """Query parameters given as "@key": parameter -> world object key."""
        pairs = (part.partition("=") for part in self.query.split("&") if part)
        return {name: value[1:] for name, _, value in pairs if value.startswith("@")}


SHARED_OBJECTS = {"notice", "offer_c", "variant", "provider", "moderated_type", "dead_job"}


def R(method: str, path: str, policy: Policy, *, data: dict | None = None, last: int = 0,
      ok: tuple[int, ...] = (), query: str = "", **params: str) -> Rule:  # fmt: skip
    return Rule(method, path, policy, params, data, last, frozenset(ok), query)


LISTING = {"kind": "offer", "title": "Listado de la matriz", "description": "Descripción.", "language": "es"}
COMPANY = {"name": "Empresa de la matriz", "country": "MX", "size_class": "small"}
OUTCOME = {"kind": "deal", "occurred_on": "2026-01-02"}
INQUIRY = {"message": "Buenos días, nos interesa su producto para exportar."}

GET, POST, PUT, DELETE = "GET", "POST", "PUT", "DELETE"

ROUTES: list[Rule] = [
    # framework, health
    R(GET, "/openapi.json", PUBLIC),
    R(GET, "/api/docs", PUBLIC),
    R(GET, "/docs/oauth2-redirect", PUBLIC),
    R(GET, "/healthz", PUBLIC),
    R(GET, "/readyz", PUBLIC),
    # listings (pages)
    R(GET, "/", PUBLIC),
    R(GET, "/listings/{listing_id}", PUBLIC, listing_id="listing"),
    R(GET, "/listings/{listing_id}", SEES_PRIVATE, listing_id="draft"),
    R(GET, "/companies/{company_id}/listings/new", MEMBER, company_id="company"),
    R(POST, "/companies/{company_id}/listings/new", MEMBER, company_id="company", data=LISTING),
    R(GET, "/listings/{listing_id}/edit", MEMBER_OR_ADVISOR, listing_id="draft"),
    R(POST, "/listings/{listing_id}/edit", MEMBER_OR_ADVISOR, listing_id="draft", data=LISTING),
    R(POST, "/listings/{listing_id}/publish", MEMBER_OR_ADVISOR, listing_id="draft"),
    R(POST, "/listings/{listing_id}/close", MEMBER_OR_ADVISOR, listing_id="listing", last=2),
    R(POST, "/listings/{listing_id}/renew", MEMBER_OR_ADVISOR, listing_id="listing"),
    # accounts
    R(GET, "/signup", PUBLIC),
    R(POST, "/signup", PUBLIC, data={"email": "", "password": ""}),
    R(GET, "/account/verify", PUBLIC, ok=(400,)),
    R(POST, "/account/verify", PUBLIC, data={"token": "nope"}),
    R(GET, "/signin", PUBLIC),
    R(POST, "/signin", PUBLIC, ok=(401,), data={"email": "owner@a.example", "password": "wrong"}),
    R(POST, "/signout", PUBLIC, ok=(303,), last=3),
    R(GET, "/password/forgot", PUBLIC),
    R(POST, "/password/forgot", PUBLIC, ok=(303,), data={"email": "nobody@example.com"}),
    R(GET, "/password/reset", PUBLIC, ok=(400,)),
    R(POST, "/password/reset", PUBLIC, data={"token": "nope", "password": "x"}),
    R(GET, "/account", SIGNED_IN),
    R(POST, "/account/profile", SIGNED_IN, data={"display_name": ""}),
    R(POST, "/account/password", SIGNED_IN, data={"current_password": "wrong", "new_password": "x"}),
    R(POST, "/account/sessions/{session_id}/end", SELF, session_id="session", last=1),
    R(POST, "/account/delete", SIGNED_IN, data={"password": "wrong"}, last=3),
    R(GET, "/account/data.json", SIGNED_IN),
    R(POST, "/account/tokens", SIGNED_IN, data={"name": ""}),
    R(POST, "/account/tokens/{token_id}/revoke", SELF, token_id="token", last=1),
    # companies (pages)
    R(GET, "/companies/new", SIGNED_IN),
    R(POST, "/companies/new", SIGNED_IN, data={"name": ""}),
    R(GET, "/companies/{company_id}/edit", MEMBER_OR_ADVISOR, company_id="company"),
    R(POST, "/companies/{company_id}/edit", MEMBER_OR_ADVISOR, company_id="company", data={"name": ""}),
    R(GET, "/dashboard", SIGNED_IN),
    R(GET, "/companies/{company_id}", PUBLIC, company_id="company"),
    R(GET, "/companies/{company_id}/team", MEMBER, company_id="company"),
    R(POST, "/companies/{company_id}/team/invite", OWNER, company_id="company", data={"email": "", "role": "member"}),
    R(POST, "/companies/{company_id}/team/{member_id}/remove", OWNER, company_id="company", member_id="other_member", last=1),
    R(POST, "/companies/{company_id}/team/{member_id}/make-owner", OWNER, company_id="company", member_id="member", last=3),
    R(POST, "/companies/{company_id}/invitations/{invitation_id}/cancel", OWNER, company_id="company", invitation_id="invitation", last=1),
    R(GET, "/invitations/accept", PUBLIC, ok=(400,)),
    R(POST, "/invitations/accept", SIGNED_IN, data={"token": "nope"}),
    R(GET, "/companies/{company_id}/import", OWNER, company_id="company"),
    R(POST, "/companies/{company_id}/import", OWNER, company_id="company"),
    # companies (API)
    R(GET, "/api/v1/companies", PUBLIC),
    R(GET, "/api/v1/companies/{company_id}", PUBLIC, company_id="company"),
    R(POST, "/api/v1/companies", SIGNED_IN, data=COMPANY),
    R(PUT, "/api/v1/companies/{company_id}", MEMBER_OR_ADVISOR, company_id="company", data=COMPANY),
    # listings (API)
    R(GET, "/api/v1/listings", PUBLIC),
    R(GET, "/api/v1/listings/{listing_id}", PUBLIC, listing_id="listing"),
    R(GET, "/api/v1/listings/{listing_id}", SEES_PRIVATE, listing_id="draft"),
    R(POST, "/api/v1/listings", MEMBER_OR_ADVISOR, data={**LISTING, "company_id": "@company"}),
    R(PUT, "/api/v1/listings/{listing_id}", MEMBER_OR_ADVISOR, listing_id="draft", data=LISTING),
    R(POST, "/api/v1/listings/{listing_id}/publish", MEMBER_OR_ADVISOR, listing_id="draft"),
    R(POST, "/api/v1/listings/{listing_id}/close", MEMBER_OR_ADVISOR, listing_id="listing", last=2),
    R(POST, "/api/v1/listings/{listing_id}/renew", MEMBER_OR_ADVISOR, listing_id="listing"),
    R(GET, "/api/v1/hs", PUBLIC),
    # media
    R(GET, "/media/{media_id}/{variant}", PUBLIC, media_id="media", variant="variant"),
    R(GET, "/media/{media_id}/{variant}", SEES_PRIVATE, media_id="draft_media", variant="variant"),
    R(POST, "/listings/{listing_id}/media", MEMBER_OR_ADVISOR, listing_id="listing", data={"kind": "photo"}),
    R(POST, "/listings/{listing_id}/media", MEMBER_OR_ADVISOR, listing_id="draft", data={"kind": "photo"}),
    R(POST, "/media/{media_id}/delete", MEMBER_OR_ADVISOR, media_id="media", last=1),
    R(POST, "/media/{media_id}/move", MEMBER_OR_ADVISOR, media_id="media", data={"direction": "up"}),
    R(GET, "/api/v1/listings/{listing_id}/media", PUBLIC, listing_id="listing"),
    R(GET, "/api/v1/listings/{listing_id}/media", SEES_PRIVATE, listing_id="draft"),
    R(POST, "/api/v1/listings/{listing_id}/media", MEMBER_OR_ADVISOR, listing_id="listing", data={"kind": "photo"}),
    R(DELETE, "/api/v1/media/{media_id}", MEMBER_OR_ADVISOR, media_id="spare_media", last=1),
    # search
    R(GET, "/search", PUBLIC),
    R(GET, "/api/v1/search", PUBLIC),
    R(GET, "/search/other-languages", PUBLIC, query="q=cafe"),
    # centres (advisor pages)
    R(GET, "/centres", ANY_ADVISOR),
    R(GET, "/centres/{centre_id}", ADVISOR, centre_id="centre"),
    R(POST, "/centres/{centre_id}/clients/invite", ADVISOR, centre_id="centre", data={"company_id": "@company"}),
    R(POST, "/centres/{centre_id}/clients/{company_id}/accept", ADVISOR, centre_id="centre", company_id="applicant", last=1),
    R(POST, "/centres/{centre_id}/clients/{company_id}/end", ADVISOR, centre_id="centre", company_id="company", last=1),
    R(GET, "/centres/{centre_id}/clients/{company_id}", ADVISOR, centre_id="centre", company_id="company"),
    R(POST, "/centres/{centre_id}/clients/{company_id}/verify", ADVISOR, centre_id="centre", company_id="company", data={"checks": "visit", "evidence": "Visita."}),
    R(POST, "/centres/{centre_id}/clients/{company_id}/outcomes", ADVISOR, centre_id="centre", company_id="company", data=OUTCOME),
    R(POST, "/centres/{centre_id}/clients/{company_id}/listings/{listing_id}/publish", ADVISOR, centre_id="centre", company_id="company", listing_id="draft"),
    R(GET, "/centres/{centre_id}/review", ADVISOR, centre_id="centre"),
    R(POST, "/centres/{centre_id}/review/{listing_id}/approve", ADVISOR, centre_id="centre", listing_id="draft"),
    R(POST, "/centres/{centre_id}/review/{listing_id}/send-back", ADVISOR, centre_id="centre", listing_id="draft", data={"reason": "No."}),
    R(POST, "/centres/{centre_id}/outcomes/{outcome_id}/confirm", ADVISOR, centre_id="centre", outcome_id="outcome"),
    R(GET, "/centres/{centre_id}/outcomes.csv", ADVISOR, centre_id="centre"),
    R(GET, "/centres/{centre_id}/clients/{company_id}/listings/new", ADVISOR, centre_id="centre", company_id="company"),
    R(POST, "/centres/{centre_id}/clients/{company_id}/listings/new", ADVISOR, centre_id="centre", company_id="company", data=LISTING),
    R(GET, "/centres/{centre_id}/import", ADVISOR, centre_id="centre"),
    R(POST, "/centres/{centre_id}/import", ADVISOR, centre_id="centre"),
    # centres (the company's side)
    R(GET, "/companies/{company_id}/centres", MEMBER, company_id="company"),
    R(POST, "/companies/{company_id}/centres/request", OWNER, company_id="company", data={"centre_id": "@centre"}),
    R(POST, "/companies/{company_id}/centres/{centre_id}/accept", OWNER, company_id="company", centre_id="inviter", last=1),
    R(POST, "/companies/{company_id}/centres/{centre_id}/end", OWNER, company_id="company", centre_id="centre", last=1),
    R(POST, "/companies/{company_id}/outcomes", MEMBER, company_id="company", data=OUTCOME),
    # centres (API)
    R(GET, "/api/v1/centres/{centre_id}/clients", ADVISOR, centre_id="centre"),
    R(POST, "/api/v1/centres/{centre_id}/clients", ADVISOR, centre_id="centre", data={"company_id": "@company"}),
    R(POST, "/api/v1/centres/{centre_id}/clients/{company_id}/accept", ADVISOR, centre_id="centre", company_id="applicant", last=1),
    R(POST, "/api/v1/centres/{centre_id}/clients/{company_id}/end", ADVISOR, centre_id="centre", company_id="company", last=1),
    R(POST, "/api/v1/companies/{company_id}/centres/{centre_id}/request", OWNER, company_id="company", centre_id="centre"),
    R(GET, "/api/v1/centres/{centre_id}/review-queue", ADVISOR, centre_id="centre"),
    R(POST, "/api/v1/listings/{listing_id}/approve", ADVISOR, listing_id="draft"),
    R(POST, "/api/v1/listings/{listing_id}/send-back", ADVISOR, listing_id="draft", data={"reason": "No."}),
    R(POST, "/api/v1/centres/{centre_id}/clients/{company_id}/verification", ADVISOR, centre_id="centre", company_id="company", data={"checks": ["visit"], "evidence": "Visita."}),
    R(POST, "/api/v1/companies/{company_id}/outcomes", MEMBER_OR_ADVISOR, company_id="company", data=OUTCOME),
    R(POST, "/api/v1/centres/{centre_id}/outcomes/{outcome_id}/confirm", ADVISOR, centre_id="centre", outcome_id="outcome"),
    R(GET, "/api/v1/centres/{centre_id}/outcomes", ADVISOR, centre_id="centre"),
    # matching
    R(POST, "/matches/{match_id}/dismiss", MEMBER, match_id="match"),
    R(GET, "/api/v1/listings/{listing_id}/matches", MEMBER, listing_id="request"),
    R(GET, "/api/v1/listings/{listing_id}/matches", MEMBER, listing_id="draft"),
    R(POST, "/api/v1/matches/{match_id}/dismiss", MEMBER, match_id="match"),
    # inquiries
    R(GET, "/listings/{listing_id}/inquire", SIGNED_IN, listing_id="offer_c"),
    R(GET, "/listings/{listing_id}/inquire", NO_ONE, listing_id="draft"),
    R(POST, "/listings/{listing_id}/inquire", NO_ONE, listing_id="draft", data=INQUIRY),
    R(POST, "/api/v1/listings/{listing_id}/inquiries", NO_ONE, listing_id="draft", data=INQUIRY),
    R(POST, "/listings/{listing_id}/inquire", SIGNED_IN, listing_id="offer_c", data={"message": ""}),
    R(GET, "/inquiries", SIGNED_IN),
    R(GET, "/inquiries/settings", SIGNED_IN),
    R(POST, "/inquiries/settings", SIGNED_IN),
    R(GET, "/inquiries/{inquiry_id}", PARTY, inquiry_id="inquiry"),
    R(POST, "/inquiries/{inquiry_id}/reply", PARTY, inquiry_id="inquiry", data={"message": ""}),
    R(POST, "/inquiries/{inquiry_id}/close", PARTY, inquiry_id="inquiry", data={"outcome": "nonsense"}),
    R(POST, "/inquiries/{inquiry_id}/spam", MEMBER, inquiry_id="received", last=1),
    R(POST, "/api/v1/listings/{listing_id}/inquiries", SIGNED_IN, listing_id="offer_c", data=INQUIRY),
    R(GET, "/api/v1/inquiries", SIGNED_IN),
    R(GET, "/api/v1/inquiry-settings", SIGNED_IN),
    R(PUT, "/api/v1/inquiry-settings", SIGNED_IN, data={"email_new_inquiries": True, "email_replies": True}),
    R(GET, "/api/v1/inquiries/{inquiry_id}", PARTY, inquiry_id="inquiry"),
    R(POST, "/api/v1/inquiries/{inquiry_id}/messages", PARTY, inquiry_id="inquiry", data={"message": "Hola."}),
    R(POST, "/api/v1/inquiries/{inquiry_id}/close", PARTY, inquiry_id="inquiry", data={"outcome": "no_deal"}, last=1),
    R(POST, "/api/v1/inquiries/{inquiry_id}/spam", MEMBER, inquiry_id="received", last=2),
    # procurement
    R(GET, "/api/v1/procurement/notices", PUBLIC),
    R(GET, "/api/v1/procurement/notices/{notice_id}", PUBLIC, notice_id="notice"),
    R(GET, "/api/v1/companies/{company_id}/opportunities", MEMBER, company_id="company"),
    R(GET, "/procurement", PUBLIC),
    R(GET, "/procurement/opportunities", SIGNED_IN),
    R(GET, "/procurement/{notice_id}", PUBLIC, notice_id="notice"),
    # OIDC
    R(POST, "/account/identities/{identity_id}/unlink", SELF, identity_id="identity", last=1),
    # saved searches (a user's own; another user's answers 404)
    R(GET, "/searches/saved", SIGNED_IN),
    R(POST, "/searches/saved", SIGNED_IN, data={"query": "q=matriz", "name": ""}),
    R(POST, "/searches/saved/{saved_search_id}/rename", SELF, saved_search_id="saved_search", data={"name": "Renombrada"}),
    R(POST, "/searches/saved/{saved_search_id}/delete", SELF, saved_search_id="spare_saved_search", last=1),
    R(GET, "/api/v1/saved-searches", SIGNED_IN),
    R(POST, "/api/v1/saved-searches", SIGNED_IN, data={"q": "matriz api"}),
    R(GET, "/api/v1/saved-searches/{saved_search_id}", SELF, saved_search_id="saved_search"),
    R("PATCH", "/api/v1/saved-searches/{saved_search_id}", SELF, saved_search_id="saved_search", data={"name": "Renombrada"}),
    R(DELETE, "/api/v1/saved-searches/{saved_search_id}", SELF, saved_search_id="saved_search", last=1),
    # moderation: reports (of what the user can see; their own company's content is refused with 400, past the
    # permission check), the admins' pages, and the admin API (an admin's API token only: the matrix sends API
    # calls with each role's token; an admin's browser session is refused in tests/moderation/test_admin_access.py)
    R(GET, "/reports/new", SIGNED_IN, query="object_type=listing&object_id=@listing"),
    R(GET, "/reports/new", MEMBER_OR_ADVISOR, query="object_type=listing&object_id=@draft"),
    R(GET, "/reports/new", PARTY, query="object_type=message&object_id=@message"),
    R(POST, "/reports", SIGNED_IN, data={"object_type": "listing", "object_id": "@listing", "reason": "spam"}),
    R(POST, "/reports", MEMBER_OR_ADVISOR, data={"object_type": "listing", "object_id": "@draft", "reason": "fraud"}),
    R(POST, "/reports", PARTY, data={"object_type": "message", "object_id": "@message", "reason": "offensive"}),
    R(POST, "/api/v1/reports", SIGNED_IN, data={"object_type": "company", "object_id": "@company", "reason": "spam"}),
    R(POST, "/api/v1/reports", MEMBER_OR_ADVISOR, data={"object_type": "listing", "object_id": "@draft", "reason": "other"}),
    R(POST, "/api/v1/reports", PARTY, data={"object_type": "message", "object_id": "@message", "reason": "spam"}),
    R(GET, "/reports/new", MEMBER_OR_ADVISOR, query="object_type=listing&object_id=@hidden_listing"),
    # a listing an admin hid: gone for everyone but its company and advisors; no one inquires about it
    R(GET, "/listings/{listing_id}", SEES_PRIVATE, listing_id="hidden_listing"),
    R(GET, "/api/v1/listings/{listing_id}", SEES_PRIVATE, listing_id="hidden_listing"),
    R(GET, "/listings/{listing_id}/inquire", NO_ONE, listing_id="hidden_listing"),
    R(POST, "/api/v1/listings/{listing_id}/inquiries", NO_ONE, listing_id="hidden_listing", data=INQUIRY),
    R(GET, "/admin/moderation", ADMIN),
    R(GET, "/admin/moderation/{object_type}/{object_id}", ADMIN, object_type="moderated_type", object_id="listing"),
    R(POST, "/admin/moderation/{object_type}/{object_id}", ADMIN, object_type="moderated_type", object_id="listing", data={"action": "warn", "reason": "Fotos ajenas."}),
    R(GET, "/admin/index-health", ADMIN),
    R(POST, "/admin/index-health/reconcile", ADMIN),
    R(POST, "/admin/index-health/jobs/{job_id}/retry", ADMIN, job_id="dead_job"),
    R(GET, "/api/v1/admin/moderation/queue", ADMIN),
    R(GET, "/api/v1/admin/moderation/{object_type}/{object_id}", ADMIN, object_type="moderated_type", object_id="listing"),
    R(POST, "/api/v1/admin/moderation/{object_type}/{object_id}/actions", ADMIN, object_type="moderated_type", object_id="listing", data={"action": "warn", "reason": "Fotos ajenas."}),
    R(GET, "/api/v1/admin/index-health", ADMIN),
    R(POST, "/api/v1/admin/index-health/reconcile", ADMIN),
    R(POST, "/api/v1/admin/jobs/{job_id}/retry", ADMIN, job_id="dead_job"),
    # notifications (a user's own; another user's answers 404) and the signed unsubscribe link (the token is
    # the proof: public, no CSRF; side A's stops owner_a's e-mails)
    R(GET, "/notifications", SIGNED_IN),
    R(POST, "/notifications/{notification_id}/read", SELF, notification_id="notification"),
    R(POST, "/notifications/read-all", SIGNED_IN),
    R(GET, "/api/v1/notifications", SIGNED_IN),
    R(POST, "/api/v1/notifications/{notification_id}/read", SELF, notification_id="notification"),
    R(POST, "/api/v1/notifications/read-all", SIGNED_IN),
    R(GET, "/unsubscribe", PUBLIC, query="token=@unsubscribe_token"),
    R(POST, "/unsubscribe", PUBLIC, query="token=@unsubscribe_token"),
]  # fmt: skip

# Routes in the app that the matrix does not send, each with why and what covers it instead.
SKIPPED: dict[tuple[str, str], str] = {
    (POST, "/signin/oidc/{name}"): "needs a configured OIDC provider: tests/oidc/test_oidc_login.py",
    (
        POST,
        "/account/identities/{name}/link",
    ): "needs a configured OIDC provider: tests/oidc/test_oidc_login.py",
    (GET, "/signin/oidc/{name}/callback"): "needs a configured OIDC provider: tests/oidc/test_oidc_login.py",
}
