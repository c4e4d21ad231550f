"""Company teams: owners invite by e-mail, remove members and hand over ownership; others cannot."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlmodel import Session

from marketplace.accounts.models import Invitation, Membership
from tests.factories import make_company
from tests.webtools import PASSWORD, csrf_from, mailed_link, make_user, post_form, sign_in


def members(session: Session, company_id: int) -> dict[str, str]:
    session.commit()
    from marketplace.accounts.models import User

    rows = session.execute(
        select(User.email, Membership.role).join(Membership).where(Membership.company_id == company_id)
    ).all()
    return dict(rows)  # type: ignore[arg-type]


def company_with_owner(session: Session, email: str = "owner@cafe.example"):  # type: ignore[no-untyped-def]
    company = make_company(session, name="Café Altura", country="CO")
    owner = make_user(session, email=email, name="Olga Owner")
    session.add(Membership(user_id=owner.id, company_id=company.id, role="owner"))  # type: ignore[arg-type]
    session.commit()
    return company, owner


def test_owner_invites_and_only_the_invited_address_can_join(client: TestClient, session: Session) -> None:
    company, _ = company_with_owner(session)
    make_user(session, email="colleague@cafe.example", name="Carla")
    make_user(session, email="intruder@example.org", name="Ivan")
    session.commit()
    sign_in(client, "owner@cafe.example")
    team_page = f"/companies/{company.id}/team"
    sent = post_form(
        client,
        f"{team_page}/invite",
        {"email": "Colleague@Cafe.example", "role": "member"},
        form_page=team_page,
    )
    assert sent.status_code == 303
    assert "colleague@cafe.example" in client.get(team_page).text  # listed as pending
    link = mailed_link(session, "colleague@cafe.example", "/invitations/accept")
    token = link.split("token=")[1]

    intruder = TestClient(client.app)
    sign_in(intruder, "intruder@example.org")
    refused = post_form(intruder, "/invitations/accept", {"token": token}, form_page=link)
    assert refused.status_code == 400 and "another e-mail address" in refused.text
    assert "intruder@example.org" not in members(session, company.id)

    colleague = TestClient(client.app)
    sign_in(colleague, "colleague@cafe.example")
    joined = post_form(colleague, "/invitations/accept", {"token": token}, form_page=link)
    assert joined.status_code == 303
    assert members(session, company.id) == {"owner@cafe.example": "owner", "colleague@cafe.example": "member"}
    again = post_form(colleague, "/invitations/accept", {"token": token}, form_page="/account")
    assert again.status_code == 400  # used


def test_invitation_form_errors_keep_the_typed_address(client: TestClient, session: Session) -> None:
    company, _ = company_with_owner(session)
    sign_in(client, "owner@cafe.example")
    page = f"/companies/{company.id}/team"
    bad = post_form(client, f"{page}/invite", {"email": "not-an-address", "role": "member"}, form_page=page)
    assert (
        bad.status_code == 422
        and "Enter a valid e-mail address." in bad.text
        and 'value="not-an-address"' in bad.text
    )
    already = post_form(
        client, f"{page}/invite", {"email": "owner@cafe.example", "role": "member"}, form_page=page
    )
    assert already.status_code == 422 and "already in your team" in already.text


def test_members_cannot_manage_and_outsiders_see_nothing(client: TestClient, session: Session) -> None:
    company, _ = company_with_owner(session)
    member = make_user(session, email="member@cafe.example", name="Mia")
    make_user(session, email="outsider@example.org", name="Otto")
    session.add(Membership(user_id=member.id, company_id=company.id, role="member"))  # type: ignore[arg-type]
    session.commit()
    page = f"/companies/{company.id}/team"

    sign_in(client, "member@cafe.example")
    assert client.get(page).status_code == 200
    token = csrf_from(client, page)
    forbidden = client.post(
        f"{page}/invite", data={"email": "x@example.org", "role": "owner", "csrf_token": token}
    )
    assert forbidden.status_code == 403
    assert session.execute(select(func.count()).select_from(Invitation)).scalar_one() == 0

    outsider = TestClient(client.app)
    sign_in(outsider, "outsider@example.org")
    assert outsider.get(page).status_code == 404  # another company's private page does not exist for them
    token = csrf_from(outsider, "/account")
    hidden = outsider.post(
        f"{page}/invite", data={"email": "x@example.org", "role": "owner", "csrf_token": token}
    )
    assert hidden.status_code == 404


def test_owner_hands_over_ownership_and_the_last_owner_cannot_leave(
    client: TestClient, session: Session
) -> None:
    company, owner = company_with_owner(session)
    member = make_user(session, email="member@cafe.example", name="Mia")
    session.add(Membership(user_id=member.id, company_id=company.id, role="member"))  # type: ignore[arg-type]
    session.commit()
    page = f"/companies/{company.id}/team"
    sign_in(client, "owner@cafe.example")
    stuck = post_form(client, f"{page}/{owner.id}/remove", {}, form_page=page)
    assert stuck.status_code == 422 and "needs an owner" in stuck.text
    post_form(client, f"{page}/{member.id}/make-owner", {}, form_page=page)
    assert members(session, company.id) == {"owner@cafe.example": "member", "member@cafe.example": "owner"}
    # Now a member, the former owner may leave.
    left = post_form(client, f"{page}/{owner.id}/remove", {}, form_page=page)
    assert left.status_code == 303
    assert members(session, company.id) == {"member@cafe.example": "owner"}


def test_owner_removes_a_member(client: TestClient, session: Session) -> None:
    company, _ = company_with_owner(session)
    member = make_user(session, email="member@cafe.example", name="Mia")
    session.add(Membership(user_id=member.id, company_id=company.id, role="member"))  # type: ignore[arg-type]
    session.commit()
    page = f"/companies/{company.id}/team"
    sign_in(client, "owner@cafe.example")
    assert post_form(client, f"{page}/{member.id}/remove", {}, form_page=page).status_code == 303
    assert members(session, company.id) == {"owner@cafe.example": "owner"}
    removed = TestClient(client.app)
    sign_in(removed, "member@cafe.example", PASSWORD)
    assert removed.get(page).status_code == 404


def test_sole_owner_of_a_team_must_hand_over_before_deleting_the_account(
    client: TestClient, session: Session
) -> None:
    company, _ = company_with_owner(session)
    member = make_user(session, email="member@cafe.example", name="Mia")
    session.add(Membership(user_id=member.id, company_id=company.id, role="member"))  # type: ignore[arg-type]
    session.commit()
    sign_in(client, "owner@cafe.example")
    refused = post_form(client, "/account/delete", {"password": PASSWORD}, form_page="/account")
    assert refused.status_code == 400 and "Transfer the ownership" in refused.text
