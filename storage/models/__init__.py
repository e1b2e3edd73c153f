"""All tables; importing this module registers them on SQLModel.metadata."""

from storage.models.accounts import (
    Account,
    ChannelIdentity,
    Invite,
    Residency,
    Role,
    RoleGrant,
)
from storage.models.messaging import (
    ConversationState,
    MessageLink,
    Notification,
    NotificationState,
    ProcessedUpdate,
    TicketTopic,
)
from storage.models.org import Building, OrgKind, OrgNode, Unit
from storage.models.tickets import (
    OPEN_STATES,
    Priority,
    Queue,
    RoutingRule,
    Source,
    Ticket,
    TicketCounter,
    TicketEvent,
    TicketState,
)

__all__ = [
    "Account",
    "Building",
    "ChannelIdentity",
    "ConversationState",
    "Invite",
    "MessageLink",
    "Notification",
    "NotificationState",
    "OPEN_STATES",
    "OrgKind",
    "OrgNode",
    "Priority",
    "ProcessedUpdate",
    "Queue",
    "Residency",
    "Role",
    "RoleGrant",
    "RoutingRule",
    "Source",
    "Ticket",
    "TicketCounter",
    "TicketEvent",
    "TicketState",
    "TicketTopic",
    "Unit",
]

from storage.models.sla import ANY, CalendarPolicy, EscalationPolicy, SlaPolicy  # noqa: E402

__all__ += ["ANY", "CalendarPolicy", "EscalationPolicy", "SlaPolicy"]

from storage.models.governance import (  # noqa: E402
    DigestSubscription,
    RectificationItem,
    RectificationPlan,
)

__all__ += ["DigestSubscription", "RectificationItem", "RectificationPlan"]

from storage.models.audit import AuditLog  # noqa: E402

__all__ += ["AuditLog"]

from storage.models.aggregates import AggregateEvent, Duty, DutyState  # noqa: E402

__all__ += ["AggregateEvent", "Duty", "DutyState"]

from storage.models.owners import (  # noqa: E402
    Ballot,
    Campaign,
    CampaignEntry,
    CampaignState,
    EmergencyFund,
    FundApplication,
    FundState,
    Matter,
    MatterState,
)

__all__ += [
    "Ballot",
    "Campaign",
    "CampaignEntry",
    "CampaignState",
    "EmergencyFund",
    "FundApplication",
    "FundState",
    "Matter",
    "MatterState",
]

from storage.models.governance_whistle import (  # noqa: E402
    CallState,
    Outcome,
    Whistle,
    WhistleCall,
    WhistleKind,
    WhistlePolicy,
    WhistleState,
)

__all__ += ["CallState", "Outcome", "Whistle", "WhistleCall", "WhistleKind", "WhistlePolicy", "WhistleState"]

from storage.models.governance_council import (  # noqa: E402
    Council,
    CouncilDecision,
    CouncilItem,
    CouncilKind,
    CouncilState,
    DecisionState,
    ItemState,
)

__all__ += [
    "Council",
    "CouncilDecision",
    "CouncilItem",
    "CouncilKind",
    "CouncilState",
    "DecisionState",
    "ItemState",
]
from storage.models.refdata import RefVersion  # noqa: E402

__all__ += ["RefVersion"]
