namespace Association.Api.Events;

/// <summary>Member activities: events with sign-up and the waiting list, check-in on the spot, attendance, service time.</summary>
public static class EventsModule
{
    public static void MapEvents(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/events").WithTags("Events").RequireAuthorization()
            .MapServiceHoursApi().MapEventsApi().MapEventOrganiserApi().MapEventSignupsApi().MapEventCheckInApi().MapEventAttendanceApi();
    }
}
