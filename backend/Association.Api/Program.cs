using Association.Api.Auth;
using Association.Api.Awards;
using Association.Api.GridReports;
using Association.Api.Insurance;
using Association.Api.Members;
using Association.Api.Organisation;
using Association.Api.Platform;
using Association.Api.Platform.Jobs;
using Association.Api.Platform.OpenApi;
using Association.Api.Patrols;
using Association.Api.Photos;
using Association.Api.Points;
using Association.Api.Publicity;
using Association.Api.Rankings;
using Association.Api.Roles;

var builder = WebApplication.CreateBuilder(args);

builder.AddPlatform();
builder.Services.AddSingleton<LoginThrottle>();
builder.Services.AddMembership();
builder.AddJobs();
builder.Services.AddOptions<InsuranceOptions>().BindConfiguration(InsuranceOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddTransient<InsuranceNoticesJob>();
builder.Services.AddOptions<RankingOptions>().BindConfiguration(RankingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddTransient<RankingsJob>();
builder.Services.AddSingleton<RankRunWriter>();
builder.Services.AddSingleton<LeaderboardRebuilder>();
builder.Services.AddSingleton<LeaderboardAnswers>();
builder.Services.AddHostedService(services => services.GetRequiredService<LeaderboardAnswers>());
builder.Services.AddSingleton<LeaderboardPublisher>();
builder.Services.AddHostedService(services => services.GetRequiredService<LeaderboardPublisher>());
builder.Services.AddSingleton<AwardQueue>();
builder.Services.AddHostedService(services => services.GetRequiredService<AwardQueue>());
builder.Services.AddOptions<PhotoOptions>().BindConfiguration(PhotoOptions.Section).ValidateDataAnnotations().ValidateOnStart();

builder.PrepareForDocumentGeneration();
var app = builder.Build();

if (await AdminCommands.TryRunAsync(app, args))
{
    return;
}

app.UsePlatform();

app.MapAuthApi();
app.MapMeApi();
app.MapOrganisationApi();
app.MapOrganisationAdminApi();
app.MapRolesApi();
app.MapApplicationsApi();
app.MapMembersApi();
app.MapMemberLifecycleApi();
app.MapRecruitmentApi();
app.MapHouseholdImportApi();
app.MapPointRulesApi();
app.MapPointsApi();
app.MapPointStatementsApi();
app.MapPatrolsApi();
app.MapPatrolReviewApi();
app.MapGridReportsApi();
app.MapGridReportWorkflowApi();
app.MapPublicityApi();
app.MapPhotosApi();
app.MapInsuranceApi();
app.MapInsuranceCoverageApi();
app.MapInsuranceExportApi();
app.MapRankingsApi();
app.MapLeaderboardsApi();
app.MapJobsDashboard();
app.MapAwardsApi();

app.Run();

public partial class Program;
