"""Every domain's tables, imported in one place so SQLModel.metadata (and Alembic) knows them all."""

from sqlmodel import SQLModel

from marketplace.accounts.models import (
    ApiToken,
    EmailToken,
    Invitation,
    Membership,
    OidcIdentity,
    RateEvent,
    User,
    UserSession,
)
from marketplace.accounts.oidc_models import OidcLoginState
from marketplace.centres.models import Advisor, AuditEvent, Centre, CentreClient, Verification
from marketplace.companies.models import Company
from marketplace.inquiries.models import (
    Inquiry,
    InquiryNotification,
    InquiryNotificationSettings,
    InquiryRead,
    Message,
)
from marketplace.jobs.models import Job
from marketplace.listings.models import Listing
from marketplace.mail.models import MailMessage
from marketplace.matching.models import Match
from marketplace.media.models import ListingMedia
from marketplace.moderation.models import ModerationAction, ModerationHold, ReconciliationRun, Report
from marketplace.outcomes.models import Outcome
from marketplace.procurement.models import ProcurementNotice, ProcurementReminder
from marketplace.savedsearches.models import SavedSearch

metadata = SQLModel.metadata

__all__ = [
    "Advisor",
    "ApiToken",
    "AuditEvent",
    "Centre",
    "CentreClient",
    "Company",
    "EmailToken",
    "Inquiry",
    "InquiryNotification",
    "InquiryNotificationSettings",
    "InquiryRead",
    "Invitation",
    "Job",
    "Listing",
    "ListingMedia",
    "MailMessage",
    "Match",
    "Membership",
    "Message",
    "ModerationAction",
    "ModerationHold",
    "OidcIdentity",
    "OidcLoginState",
    "Outcome",
    "ProcurementNotice",
    "ProcurementReminder",
    "RateEvent",
    "ReconciliationRun",
    "Report",
    "SavedSearch",
    "User",
    "UserSession",
    "Verification",
    "metadata",
]  # fmt: skip
