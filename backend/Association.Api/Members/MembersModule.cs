namespace Association.Api.Members;

/// <summary>Applications, members and their lifecycle, recruitment targets and household coverage.</summary>
public static class MembersModule
{
    public static void AddMembers(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MembershipOptions>().BindConfiguration(MembershipOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<MemberNames>();
        builder.Services.AddHostedService(services => services.GetRequiredService<MemberNames>());
    }

    public static void MapMembers(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/membership/applications").WithTags("Membership").RequireAuthorization().MapApplicationsApi().MapApplicationDecisionsApi();
        app.MapGroup("/api/members").WithTags("Members").RequireAuthorization().MapMembersApi().MapMemberLifecycleApi().MapMemberPersonalDataApi()
            .MapMemberHistoryApi();
        app.MapGroup("/api/membership").WithTags("Recruitment and coverage").RequireAuthorization().MapRecruitmentApi().MapCoverageExportApi();
        app.MapGroup("/api/membership/privacy-notice").WithTags("Membership").MapPrivacyNoticeApi();
    }
}
