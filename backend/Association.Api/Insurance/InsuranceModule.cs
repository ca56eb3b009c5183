namespace Association.Api.Insurance;

/// <summary>Public-security insurance: policies, members' cover, gaps, the insurer's roster and the daily notices.</summary>
public static class InsuranceModule
{
    public static void AddInsurance(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<InsuranceOptions>().BindConfiguration(InsuranceOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddTransient<InsuranceNoticesJob>();
    }

    public static void MapInsurance(this IEndpointRouteBuilder app)
    {
        var insurance = app.MapGroup("/api/insurance").WithTags("Insurance").RequireAuthorization();
        insurance.MapGroup("/policies").MapInsuranceApi().MapInsuranceExportApi();
        insurance.MapInsuranceCoverageApi();
    }
}
