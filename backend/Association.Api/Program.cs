using Association.Api;
using Association.Api.AdminConsole;
using Association.Api.Audit;
using Association.Api.Auth;
using Association.Api.Awards;
using Association.Api.Campaigns;
using Association.Api.Certificates;
using Association.Api.Events;
using Association.Api.Figures;
using Association.Api.GridReports;
using Association.Api.Insurance;
using Association.Api.Members;
using Association.Api.Notifications;
using Association.Api.Organisation;
using Association.Api.Patrols;
using Association.Api.Photos;
using Association.Api.Plans;
using Association.Api.Platform;
using Association.Api.Platform.Jobs;
using Association.Api.Platform.OpenApi;
using Association.Api.Points;
using Association.Api.Publicity;
using Association.Api.Rankings;
using Association.Api.Rewards;
using Association.Api.Roles;
using Association.Api.Todos;

var builder = WebApplication.CreateBuilder(args);

builder.AddPlatform();
builder.AddJobs(RecurringJobs.Register);
builder.AddAuth();
builder.AddMembers();
builder.AddPoints();
builder.AddPhotos();
builder.AddInsurance();
builder.AddPatrols();
builder.AddRankings();
builder.AddNotifications();
builder.AddCertificates();
builder.AddFigures();
builder.AddAdminConsole();
builder.Services.AddTransient<Association.Api.Demo.RichDemo>();
builder.PrepareForDocumentGeneration();

var app = builder.Build();
if (await AdminCommands.TryRunAsync(app, args))
{
    return;
}

app.UsePlatform();
var api = app.MapApi();
api.MapAuth();
api.MapOrganisation();
api.MapRoles();
api.MapMembers();
api.MapPoints();
api.MapPatrols();
api.MapGridReports();
api.MapPublicity();
api.MapPhotos();
api.MapInsurance();
api.MapRankings();
app.MapJobsDashboard();
api.MapAwards();
api.MapAudit();
api.MapNotifications();
api.MapTodos();
api.MapEvents();
api.MapRewards();
api.MapCertificates();
api.MapFigures();
api.MapPlans();
api.MapCampaigns();
api.MapAdminConsole();
app.Run();

public partial class Program;
