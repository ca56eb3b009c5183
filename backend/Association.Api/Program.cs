using Association.Api.Auth;
using Association.Api.Organisation;
using Association.Api.Platform;
using Association.Api.Roles;

var builder = WebApplication.CreateBuilder(args);

builder.AddPlatform();
builder.Services.AddSingleton<LoginThrottle>();

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

app.Run();

public partial class Program;
