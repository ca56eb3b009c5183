using Association.Api.GridReports;
using Association.Api.Points;

namespace Association.Tests.GridReports;

public sealed class ReportWorkflowTests
{
    private static readonly (ReportStatus From, ReportStatus To)[] Moves =
    [
        (ReportStatus.Held, ReportStatus.Submitted),
        (ReportStatus.Held, ReportStatus.Rejected),
        (ReportStatus.Submitted, ReportStatus.Accepted),
        (ReportStatus.Submitted, ReportStatus.Rejected),
        (ReportStatus.Accepted, ReportStatus.Assigned),
        (ReportStatus.Accepted, ReportStatus.Resolved),
        (ReportStatus.Assigned, ReportStatus.Resolved),
        (ReportStatus.Resolved, ReportStatus.Closed),
    ];

    [Fact]
    public void CanMove_ForEveryPairOfStates_AllowsExactlyTheMovesOfTheTable()
    {
        foreach (var from in Enum.GetValues<ReportStatus>())
        {
            foreach (var to in Enum.GetValues<ReportStatus>())
            {
                Assert.True(Moves.Contains((from, to)) == ReportWorkflow.CanMove(from, to), $"{from} → {to}");
            }
        }
    }

    [Fact]
    public void CanMove_FromRejectedOrClosed_GoesNowhere()
    {
        Assert.DoesNotContain(Enum.GetValues<ReportStatus>(), to => ReportWorkflow.CanMove(ReportStatus.Rejected, to) || ReportWorkflow.CanMove(ReportStatus.Closed, to));
    }

    [Fact]
    public void Deadline_WhenMoreUrgent_IsNeverLonger()
    {
        var byUrgency = new[] { Urgency.Urgent, Urgency.High, Urgency.Normal }.Select(ReportWorkflow.Deadline).ToList();

        Assert.Equal(byUrgency.Order(), byUrgency);
        Assert.Equal(TimeSpan.FromHours(24), ReportWorkflow.Deadline(Urgency.Urgent));
    }

    [Fact]
    public void AcceptedWork_WhenAHazardIsAccepted_EarnsTheHazardRule()
    {
        Assert.Equal(WorkKind.HazardConfirmed, ReportWorkflow.AcceptedWork(ReportKind.SafetyHazard));
    }
}
