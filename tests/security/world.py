"""The fixture world of the route matrix: two companies, two centres, each with people and objects.

Side "A": company A (owner, member) is an active client of centre 1 (advisor 1); side "B" likewise with
company B, centre 2 and advisor 2. Company C (its owner plays no role) is the counterpart of both sides'
inquiries and matches, so that A's thread or match is not B's. Plus a stranger (signed in, no company), an
admin, and the anonymous visitor. Each role has a browser session and an API token of its own.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlmodel import Session

from marketplace.accounts.models import Invitation, OidcIdentity, User, UserSession
from marketplace.accounts.sessions import start_session
from marketplace.accounts.tokens import create_token
from marketplace.centres.models import CentreClient
from marketplace.core.models import utcnow
from marketplace.core.security import csrf_token, new_token, token_hash
from marketplace.core.settings import Settings
from marketplace.inquiries.models import Inquiry, Message
from marketplace.jobs.models import Job
from marketplace.listings.sync import SYNC_JOB as LISTING_SYNC
from marketplace.matching.models import Match
from marketplace.media.service import Upload, add_media
from marketplace.media.storage import media_storage
from marketplace.moderation.service import file_report, moderate
from marketplace.notifications.models import Notification
from marketplace.notifications.unsubscribe import make_token
from marketplace.outcomes.models import Outcome
from marketplace.procurement.models import ProcurementNotice
from marketplace.savedsearches.models import SavedSearch
from tests.centres.helpers import add_member, make_advisor, make_centre, make_client
from tests.factories import make_company, make_listing
from tests.webtools import make_user

SIDES = ("A", "B")
# What each side's company, centre and private objects are called: a refusal must never show these.
NAMES = {
    "A": {
        "company": "Aguacates Tigre Matriz",
        "centre": "CDE Jalisco Matriz",
        "listing": "Aguacate Hass publicado",
        "draft": "Aguacate borrador secreto",
        "request": "Busco cajas de cartón Tigre",
        "hidden_listing": "Aguacate retirado por moderación",
    },
    "B": {
        "company": "Café Bogotano Matriz",
        "centre": "CDE Bogotá Matriz",
        "listing": "Café excelso publicado",
        "draft": "Café borrador secreto",
        "request": "Busco sacos de yute Bogotá",
        "hidden_listing": "Café retirado por moderación",
    },
}
NAMES["X"] = NAMES["B"]
ANONYMOUS_VISITOR = "matrix-anonymous-visitor-0001"


@dataclass(frozen=True)
class Role:
    """Who sends the request: their company (side and role in it), the side whose centre they advise."""

    name: str
    member_of: str | None = None
    company_role: str | None = None
    advises: str | None = None
    admin: bool = False
    signed_in: bool = True


ROLES = (
    Role("anonymous", signed_in=False),
    Role("stranger"),
    Role("admin", admin=True),
    Role("owner_a", member_of="A", company_role="owner"),
    Role("member_a", member_of="A", company_role="member"),
    Role("owner_b", member_of="B", company_role="owner"),
    Role("member_b", member_of="B", company_role="member"),
    Role("advisor_1", advises="A"),
    Role("advisor_2", advises="B"),
)


@dataclass
class Credentials:
    cookie: dict[str, str]
    csrf: str
    bearer: str | None


@dataclass
class World:
    users: dict[str, User]
    objects: dict[str, dict[str, int | str]]  # side -> object key -> id (or a constant)
    credentials: dict[str, Credentials] = field(default_factory=dict)

    def value(self, side: str | None, key: str) -> int | str:
        return self.objects[side or "A"][key]

    def restore_links(self, session: Session) -> None:
        """Put the centre–company relationships back as built (after a cell that ended or accepted one)."""
        for side in SIDES:
            objects = self.objects[side]
            for centre, company, status in (
                (objects["centre"], objects["company"], "active"),
                (objects["centre"], objects["applicant"], "requested"),
                (objects["inviter"], objects["company"], "invited"),
            ):
                link = session.execute(
                    select(CentreClient).where(
                        CentreClient.centre_id == centre, CentreClient.company_id == company
                    )
                ).scalar_one()
                link.status, link.ended_at = status, None
                link.consent_at = None if status == "invited" else (link.consent_at or utcnow())
        session.commit()


def _photo() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (180, 120, 60)).save(buffer, "PNG")
    return buffer.getvalue()


def _side(session: Session, settings: Settings, side: str, c: dict) -> tuple[dict[str, User], dict]:
    names = NAMES[side]
    lower = side.lower()
    number = "1" if side == "A" else "2"
    centre = make_centre(session, name=names["centre"], country="MX" if side == "A" else "CO")
    company = make_company(session, name=names["company"], country="MX" if side == "A" else "CO")
    owner = add_member(session, company=company, email=f"owner@{lower}.example")
    member = add_member(session, company=company, email=f"member@{lower}.example", role="member")
    other_member = add_member(session, company=company, email=f"colleague@{lower}.example", role="member")
    advisor = make_advisor(session, centre=centre, email=f"advisor@centre{number}.example")
    make_client(session, centre=centre, company=company)
    listing = make_listing(session, company=company, title=names["listing"])
    draft = make_listing(session, company=company, title=names["draft"], status="draft")
    request = make_listing(session, company=company, title=names["request"], kind="request")
    # Published, then hidden by an admin (build_world): moderation takes it off public pages.
    hidden_listing = make_listing(session, company=company, title=names["hidden_listing"])
    draft_media = add_media(
        session,
        owner,
        draft.id,  # type: ignore[arg-type]
        kind="photo",
        uploads=[Upload(filename="borrador.png", stream=io.BytesIO(_photo()))],
        storage=media_storage(settings),
    )[0]
    media, spare_media = add_media(
        session,
        owner,
        listing.id,  # type: ignore[arg-type]
        kind="photo",
        uploads=[Upload(filename=f"foto{n}.png", stream=io.BytesIO(_photo())) for n in (1, 2)],
        storage=media_storage(settings),
    )
    # A company waiting for centre S to accept it, and a centre that invited company S.
    applicant = make_company(session, name=f"Solicitante {side}", country="MX")
    make_client(session, centre=centre, company=applicant, status="requested")
    inviter = make_centre(session, name=f"Centro invitante {side}")
    make_client(session, centre=inviter, company=company, status="invited")
    match = Match(request_listing_id=request.id, offer_listing_id=c["offer"].id, score=0.9)  # type: ignore[arg-type]
    inquiry = Inquiry(
        kind="inquiry",
        listing_id=c["offer"].id,
        from_company_id=company.id,
        from_user_id=owner.id,  # type: ignore[arg-type]
        to_company_id=c["company"].id,
    )
    received = Inquiry(
        kind="inquiry",
        listing_id=listing.id,  # type: ignore[arg-type]
        from_company_id=c["company"].id,
        from_user_id=c["owner"].id,
        to_company_id=company.id,  # type: ignore[arg-type]
    )
    session.add_all([match, inquiry, received])
    session.flush()
    session.add(Message(inquiry_id=inquiry.id, sender_user_id=owner.id, sender_company_id=company.id,  # type: ignore[arg-type]
                        body=f"Mensaje privado del lado {side}"))  # fmt: skip
    outcome = Outcome(
        company_id=company.id,  # type: ignore[arg-type]
        centre_id=centre.id,
        reported_by_user_id=owner.id,
        kind="deal",
        occurred_on=date(2026, 1, 2),
    )
    invitation = Invitation(
        company_id=company.id,  # type: ignore[arg-type]
        email=f"invitee@{lower}.example",
        invited_by_user_id=owner.id,
        token_hash=token_hash(new_token()),
        expires_at=utcnow() + timedelta(days=7),
    )
    identity = OidcIdentity(
        user_id=owner.id,  # type: ignore[arg-type]
        issuer="https://id.example.org",
        provider="example",
        subject=f"subject-{lower}",
    )
    session.add_all([outcome, invitation, identity])
    # The owner's saved searches: one to rename and delete through the API, a spare for the page's delete.
    saved_search = SavedSearch(user_id=owner.id, name=f"Búsqueda guardada {side}", query=f"q=cacao{lower}")  # type: ignore[arg-type]
    spare_saved_search = SavedSearch(user_id=owner.id, name=f"Otra búsqueda {side}", query=f"q=miel{lower}")  # type: ignore[arg-type]
    session.add_all([saved_search, spare_saved_search])
    spare_token, _ = create_token(session, owner, name=f"spare {side}")
    # The owner's other browser: the object of /account/sessions/{id}/end (their own, or someone else's).
    start_session(session, owner, user_agent="spare", ip_address="127.0.0.9")
    session.flush()
    spare_session = session.execute(
        select(UserSession).where(UserSession.user_id == owner.id, UserSession.user_agent == "spare")
    ).scalar_one()
    # Moderation and notifications: the side's message in its thread with C (to report), company C's owner's
    # report of the side's listing (a case in the admins' queue), the owner's unread notice of the side's
    # match, and the signed link of the owner's digests that stops their alert e-mails.
    message = session.execute(select(Message.id).where(Message.inquiry_id == inquiry.id)).scalar_one()
    file_report(session, c["owner"], object_type="listing", object_id=listing.id, reason="spam")  # type: ignore[arg-type]
    notification = Notification(
        user_id=owner.id,  # type: ignore[arg-type]
        kind="match",
        match_id=match.id,
        listing_id=c["offer"].id,
        dedupe_key=f"match:{match.id}",
    )
    session.add(notification)
    session.flush()
    objects = {
        "company": company.id,
        "centre": centre.id,
        "listing": listing.id,
        "draft": draft.id,
        "request": request.id,
        "media": media.id,
        "spare_media": spare_media.id,
        "draft_media": draft_media.id,
        "applicant": applicant.id,
        "inviter": inviter.id,
        "received": received.id,
        "match": match.id,
        "inquiry": inquiry.id,
        "outcome": outcome.id,
        "invitation": invitation.id,
        "member": member.id,
        "other_member": other_member.id,
        "session": spare_session.id,
        "token": spare_token.id,
        "identity": identity.id,
        "saved_search": saved_search.id,
        "spare_saved_search": spare_saved_search.id,
        "message": message,
        "hidden_listing": hidden_listing.id,
        "notification": notification.id,
        "unsubscribe_token": make_token(settings.secret_key, owner.id, "alerts"),  # type: ignore[arg-type]
    }
    users = {f"owner_{lower}": owner, f"member_{lower}": member, f"advisor_{number}": advisor}
    return users, objects  # type: ignore[return-value]


def build_world(session: Session, settings: Settings) -> World:
    """Everything the matrix needs, committed; each role gets a session cookie, a CSRF token, an API token."""
    company_c = make_company(session, name="Cacao Chiapas Tercero", country="MX")
    owner_c = add_member(session, company=company_c, email="owner@c.example")
    offer_c = make_listing(session, company=company_c, title="Cacao criollo en grano")
    notice = ProcurementNotice(ocid="ocds-matrix-0001", title="Compra pública de aguacate", country="MX")
    session.add(notice)
    # A search sync job that ran out of attempts: what the admins' index-health page offers to retry.
    dead_job = Job(kind=LISTING_SYNC, entity="listing", entity_id=offer_c.id, status="dead", attempts=5,
                   max_attempts=5, last_error="SearchError: the engine did not answer")  # fmt: skip
    session.add(dead_job)
    session.flush()
    shared = {"company": company_c, "offer": offer_c, "owner": owner_c}
    users: dict[str, User] = {
        "stranger": make_user(session, email="stranger@elsewhere.example"),
        "admin": make_user(session, email="admin@puente.example", is_admin=True),
    }
    objects: dict[str, dict[str, int | str]] = {}
    for side in SIDES:
        side_users, side_objects = _side(session, settings, side, shared)
        users.update(side_users)
        objects[side] = {
            **side_objects,
            "notice": notice.id,  # type: ignore[dict-item]
            "offer_c": offer_c.id,  # type: ignore[dict-item]
            "variant": "full",
            "provider": "no-such-provider",
            "moderated_type": "listing",  # the {object_type} of the admins' moderation routes
            "dead_job": dead_job.id,  # type: ignore[dict-item]
        }
    # A published listing of each side that an admin hid: off public pages; its company and advisors still see it.
    for side in SIDES:
        listing_id = objects[side]["hidden_listing"]
        moderate(session, users["admin"], object_type="listing", object_id=listing_id, action="hide",  # type: ignore[arg-type]
                 reason="Fotos tomadas de otro sitio.")  # fmt: skip
    # Side "X" mixes them: centre 1 with company B's objects (B is no client of centre 1), for the advisor routes
    # that name a centre and a company: nobody may reach B through centre 1.
    objects["X"] = {**objects["B"], "centre": objects["A"]["centre"]}
    world = World(users=users, objects=objects)
    for role in ROLES:
        if not role.signed_in:
            world.credentials[role.name] = Credentials(
                cookie={"puente_visitor": ANONYMOUS_VISITOR},
                csrf=csrf_token(settings.secret_key, ANONYMOUS_VISITOR),
                bearer=None,
            )
            continue
        world.credentials[role.name] = sign_in_directly(session, settings, users[role.name])
    session.commit()
    return world


def sign_in_directly(session: Session, settings: Settings, user: User) -> Credentials:
    """A new browser session (cookie and its CSRF token) and API token for the user, without the sign-in form."""
    cookie = start_session(session, user, user_agent="matrix", ip_address="127.0.0.1")
    _, raw = create_token(session, user, name=f"matrix {new_token()[:8]}")
    return Credentials(
        cookie={"puente_session": cookie}, csrf=csrf_token(settings.secret_key, cookie), bearer=raw
    )
