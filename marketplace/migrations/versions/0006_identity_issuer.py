"""OIDC identities keyed by (issuer, subject)

Revision ID: 0006_identity_issuer
Revises: 0005
Create Date: 2026-11-30 17:05:00.000000

Until now an identity was keyed by the provider's *name* in PUENTE_OIDC_PROVIDERS, so renaming a provider
orphaned its accounts and pointing an old name at another issuer let that issuer's users reach them. An
identity is now keyed by (issuer, subject), as OpenID Connect defines an end-user.

Backfill of existing rows (a choice):
- a row whose provider name is configured (the settings `puente migrate` runs with) takes that provider's
  issuer; this is the issuer that signed the ID token the row was created from, since names were unique;
- a row whose name is not configured any more gets `unknown-provider:<name>`, which is not a URL and so
  never equals a configured issuer: such an identity signs nobody in (it cannot be mis-linked to whoever
  holds the name later). Its user signs in with a password or a reset link and links the provider again,
  and can unlink the old entry from the account page;
- two configured names with the same issuer and a row under each for the same subject (the same person at
  that issuer): the first name in the settings keeps the issuer, the other row is marked as unknown.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0006_identity_issuer"
down_revision = "0005"
branch_labels = None
depends_on = None

UNKNOWN_PREFIX = "unknown-provider:"
NEW_UNIQUE = "uq_oidc_identities_issuer_subject"
OLD_UNIQUE_SQLITE = "uq_oidc_identities_provider_subject"  # the name the naming convention below gives it


def _configured_providers() -> list[tuple[str, str]]:
    """(name, issuer) of the providers in the settings, in their order."""
    from marketplace.core.settings import get_settings

    return [(provider.name, provider.issuer) for provider in get_settings().oidc_providers]


def _backfill(bind: sa.engine.Connection) -> None:
    identities = sa.table(
        "oidc_identities",
        sa.column("issuer", sa.String),
        sa.column("provider", sa.String),
        sa.column("subject"),
    )
    if bind.execute(sa.select(sa.func.count()).select_from(identities)).scalar_one() == 0:
        return  # a new database: no need to read the settings
    other = identities.alias("other")
    for name, issuer in _configured_providers():
        taken = sa.exists().where(other.c.issuer == issuer, other.c.subject == identities.c.subject)
        bind.execute(
            identities.update()
            .where(identities.c.provider == name, identities.c.issuer.is_(None), ~taken)
            .values(issuer=issuer)
        )
    bind.execute(
        identities.update()
        .where(identities.c.issuer.is_(None))
        .values(issuer=sa.literal(UNKNOWN_PREFIX) + identities.c.provider)
    )


def _old_unique_name(bind: sa.engine.Connection) -> str | None:
    for constraint in sa.inspect(bind).get_unique_constraints("oidc_identities"):
        if constraint["column_names"] == ["provider", "subject"]:
            return constraint["name"]
    return None


def upgrade() -> None:
    bind = op.get_bind()
    with op.batch_alter_table("oidc_identities", schema=None) as batch_op:
        batch_op.add_column(sa.Column("issuer", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True))
    _backfill(bind)
    if bind.dialect.name == "sqlite":
        # SQLite's constraint from 0001 has no name: the naming convention gives it one to drop by.
        with op.batch_alter_table(
            "oidc_identities",
            schema=None,
            naming_convention={"uq": "uq_%(table_name)s_%(column_0_name)s_%(column_1_name)s"},
        ) as batch_op:
            batch_op.alter_column("issuer", existing_type=sa.String(length=255), nullable=False)
            batch_op.drop_constraint(OLD_UNIQUE_SQLITE, type_="unique")
            batch_op.create_unique_constraint(NEW_UNIQUE, ["issuer", "subject"])
        return
    old_name = _old_unique_name(bind)
    op.alter_column("oidc_identities", "issuer", existing_type=sa.String(length=255), nullable=False)
    if old_name is not None:
        op.drop_constraint(old_name, "oidc_identities", type_="unique")
    op.create_unique_constraint(NEW_UNIQUE, "oidc_identities", ["issuer", "subject"])


def downgrade() -> None:
    with op.batch_alter_table("oidc_identities", schema=None) as batch_op:
        batch_op.drop_constraint(NEW_UNIQUE, type_="unique")
        batch_op.create_unique_constraint(OLD_UNIQUE_SQLITE, ["provider", "subject"])
        batch_op.drop_column("issuer")
