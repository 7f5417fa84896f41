"""The fraud engine: explainable order scoring, the review workflow, reseller order approval.

Scoring is offline and deterministic: :func:`gather_context` asks the ports (GeoIP, order
history, an optional external risk score) once and freezes their answers; :func:`assess` runs
the configured signals over that value and returns an :class:`Assessment` (a 0–100 score,
ACCEPT / REVIEW / REJECT, every contribution with its reason, and an explanation). The review
and approval transitions are pure functions returning the new order and the events to emit.
"""

from hostbill_core.fraud.approval import (
    NO_APPROVAL,
    ApprovalPolicy,
    ApprovalRequirement,
    approval_requirement,
    approve,
    cancel,
)
from hostbill_core.fraud.assess import Assessment, assess, skip_reason
from hostbill_core.fraud.calibration import (
    Evaluation,
    LabelledOrder,
    ThresholdMetrics,
    evaluate,
)
from hostbill_core.fraud.config import (
    DEFAULT_HARD_RULES,
    FraudConfig,
    HardRule,
    SkipRules,
    Thresholds,
    default_config,
)
from hostbill_core.fraud.context import (
    EarlierOrders,
    FraudContext,
    FraudPorts,
    FraudRequest,
    gather_context,
    item_types,
)
from hostbill_core.fraud.contribution import Contribution, Decision
from hostbill_core.fraud.events import (
    ApprovalRequested,
    FraudEvent,
    OrderAccepted,
    OrderApproved,
    OrderCancelled,
    OrderDropped,
    OrderFlagged,
    OrderRejected,
    OrderScreened,
    StatusEvent,
)
from hostbill_core.fraud.lifecycle import TRANSITIONS, StaffAction, Transition
from hostbill_core.fraud.loading import SignalLoader, load_config
from hostbill_core.fraud.ports import (
    ExternalRiskScore,
    ExternalScore,
    GeoIP,
    GeoIPInfo,
    HistoryKey,
    OrderHistory,
    PastOrder,
)
from hostbill_core.fraud.review import complete, drop, emit_all, feed_history, reject, screen
from hostbill_core.fraud.signals import BUILTIN_SIGNALS, Signal

__all__ = [
    "BUILTIN_SIGNALS",
    "DEFAULT_HARD_RULES",
    "NO_APPROVAL",
    "TRANSITIONS",
    "ApprovalPolicy",
    "ApprovalRequested",
    "ApprovalRequirement",
    "Assessment",
    "Contribution",
    "Decision",
    "EarlierOrders",
    "Evaluation",
    "ExternalRiskScore",
    "ExternalScore",
    "FraudConfig",
    "FraudContext",
    "FraudEvent",
    "FraudPorts",
    "FraudRequest",
    "GeoIP",
    "GeoIPInfo",
    "HardRule",
    "HistoryKey",
    "LabelledOrder",
    "OrderAccepted",
    "OrderApproved",
    "OrderCancelled",
    "OrderDropped",
    "OrderFlagged",
    "OrderHistory",
    "OrderRejected",
    "OrderScreened",
    "PastOrder",
    "Signal",
    "SignalLoader",
    "SkipRules",
    "StaffAction",
    "StatusEvent",
    "ThresholdMetrics",
    "Thresholds",
    "Transition",
    "approval_requirement",
    "approve",
    "assess",
    "cancel",
    "complete",
    "default_config",
    "drop",
    "emit_all",
    "evaluate",
    "feed_history",
    "gather_context",
    "item_types",
    "load_config",
    "reject",
    "screen",
    "skip_reason",
]
