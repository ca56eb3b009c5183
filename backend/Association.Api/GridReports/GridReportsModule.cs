namespace Association.Api.GridReports;

/// <summary>Hazard, dispute and information reports from the grid, and their workflow.</summary>
public static class GridReportsModule
{
    public static void MapGridReports(this IEndpointRouteBuilder app)
    {
        var reports = app.MapGroup("/api/grid-reports").WithTags("Grid reports").RequireAuthorization();
        reports.MapGridReportsApi().MapGridReportExportApi().MapGridReportRecordsApi();
        reports.MapGroup("/{id}").MapGridReportWorkflowApi().MapGridReportEscalationApi();
    }
}
