using System.Text.Json.Serialization;
using Association.Api.Platform;

namespace Association.Api.Notifications;

/// <summary>What a notification tells of. Each kind has its words in the message catalog (notice.{kind}.title/body).</summary>
[JsonConverter(typeof(EnumNames<NotificationKind>))]
public enum NotificationKind
{
    ApplicationApproved,
    ApplicationRejected,
    ApplicationWaiting,
    PatrolConfirmed,
    PatrolRejected,
    PatrolEndedForMember,
    PatrolWaiting,
    ReportAccepted,
    ReportRejected,
    ReportAssigned,
    ReportResolved,
    ReportOverdue,
    ReportEscalated,
    PointsAwarded,
    PointsChanged,
    MemberSuspended,
    MemberReinstated,
    InsuranceCovered,
    InsuranceEnding,
    InsuranceNotice,
    RankingFinal,
    EventPromoted,
    EventChanged,
    EventCancelled,
    PlanPublished,
    PlanReviewed,
}
