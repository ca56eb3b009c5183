using Association.Api.Organisation;
using Association.Api.Platform;
using Association.Api.Platform.Database;

var builder = WebApplication.CreateBuilder(args);

builder.AddPlatform();

var app = builder.Build();

if (await AdminCommands.TryRunAsync(app, args))
{
    return;
}

app.UsePlatform();

app.MapOrganisationApi();

app.Run();

public partial class Program;
