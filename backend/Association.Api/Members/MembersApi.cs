using Association.Api.Platform.Auth;
using Association.Api.Platform.Errors;
using Association.Api.Platform.Http;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Association.Api.Members;

/// <summary>Members as their leaders and admins see them: search, one member, and the member's own view.</summary>
public static class MembersApi
{
    public static RouteGroupBuilder MapMembersApi(this RouteGroupBuilder api)
    {

        api.MapGet("", ListMembers)
            .WithSummary("Search members in the caller's grids by name, member number, grid and status, a page at a time")
            .ProducesValidationProblem();
        api.MapGet("/export", ExportMembers)
            .WithSummary("The same search as an .xlsx sheet (ID numbers and phones masked; audited)")
            .Produces(StatusCodes.Status200OK, contentType: MemberExport.ContentType)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("/me", GetMyMembership)
            .WithSummary("My membership: number, grid, status, red armband")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{id}", GetMember)
            .WithSummary("One member in the caller's grids")
            .ProducesProblem(StatusCodes.Status404NotFound);

        return api;
    }

    internal const string MemberColumns = """
        SELECT m.id, m.member_number, m.grid_id, g.name AS grid_name, m.real_name, m.phone_masked, m.id_number_masked,
               m.status, m.joined_on, m.armband_issued_on, m.volunteer_roles
          FROM members m
          JOIN org_units g ON g.id = m.grid_id
          JOIN org_units target ON target.id = m.grid_id
        """;

    // Name search is a prefix match on an index; LIKE wildcards in the input are escaped by the caller.
    private const string Filters = """
         WHERE (@name IS NULL OR m.real_name LIKE CONCAT(@name, '%'))
           AND (@number IS NULL OR m.member_number = @number)
           AND (@gridId IS NULL OR m.grid_id = @gridId)
           AND (@status IS NULL OR m.status = @status)
           AND
        """ + Scope.Sees;

    private const string SearchPage = MemberColumns + Filters + " ORDER BY m.id LIMIT @limit OFFSET @offset";

    private const string SearchCount = "SELECT COUNT(*) FROM members m JOIN org_units target ON target.id = m.grid_id" + Filters;

    internal const string SearchAll = MemberColumns + Filters + " ORDER BY m.id LIMIT @limit";

    internal const string MemberInScope = MemberColumns + " WHERE m.id = @id AND (m.user_id = @callerId OR " + Scope.Sees + ")";

    private const string MyMember = MemberColumns + " WHERE m.user_id = @callerId";

    internal sealed class MemberRow
    {
        public long Id { get; init; }
        public string? MemberNumber { get; init; }
        public long GridId { get; init; }
        public string GridName { get; init; } = "";
        public string? RealName { get; init; }
        public string? PhoneMasked { get; init; }
        public string? IdNumberMasked { get; init; }
        public string Status { get; init; } = "";
        public DateTime JoinedOn { get; init; }
        public DateTime? ArmbandIssuedOn { get; init; }
        public string VolunteerRoles { get; init; } = "";

        public MemberView ToView() => new(Id, MemberNumber, GridId, GridName, RealName, PhoneMasked, IdNumberMasked,
            Enum.Parse<MemberStatus>(Status), DateOnly.FromDateTime(JoinedOn),
            ArmbandIssuedOn is { } issued ? DateOnly.FromDateTime(issued) : null, PersonalData.Roles(VolunteerRoles));
    }

    internal static object SearchArgs(long callerId, string? name, string? number, long? gridId, MemberStatus? status) => new
    {
        callerId,
        name = string.IsNullOrWhiteSpace(name) ? null : EscapeLike(name.Trim()),
        number = string.IsNullOrWhiteSpace(number) ? null : number.Trim(),
        gridId,
        status = status?.ToString(),
    };

    public static async Task<Results<Ok<MemberPage>, ValidationProblem>> ListMembers(
        HttpContext http, MySqlDataSource db, CancellationToken ct,
        string? name = null, string? number = null, long? gridId = null, MemberStatus? status = null, [Page] int page = 1, [PageSize] int pageSize = 20)
    {
        var args = new DynamicParameters(SearchArgs(http.User.UserId(), name, number, gridId, status));
        args.Add("limit", pageSize);
        args.Add("offset", (page - 1) * pageSize);
        await using var connection = await db.OpenConnectionAsync(ct);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(SearchCount, args, cancellationToken: ct));
        var rows = await connection.QueryAsync<MemberRow>(new CommandDefinition(SearchPage, args, cancellationToken: ct));
        return TypedResults.Ok(new MemberPage(rows.Select(r => r.ToView()).ToList(), page, pageSize, total));
    }

    public static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> ExportMembers(
        HttpContext http, MySqlDataSource db, TimeProvider time, CancellationToken ct,
        string? name = null, string? number = null, long? gridId = null, MemberStatus? status = null)
    {
        var callerId = http.User.UserId();
        var args = new DynamicParameters(SearchArgs(callerId, name, number, gridId, status));
        // The audit says which filters narrowed the sheet, not the name or number searched for.
        var filters = string.Join(" ", new[]
        {
            gridId is null ? null : $"网格{gridId}", status is null ? null : EnumLabels.Chinese(status.Value),
            string.IsNullOrWhiteSpace(name) ? null : "按姓名", string.IsNullOrWhiteSpace(number) ? null : "按会员编号",
        }.OfType<string>().DefaultIfEmpty("全部"));
        await using var connection = await db.OpenConnectionAsync(ct);
        return await MemberExport.SendAsync(connection, SearchAll, args, filters, callerId, time, ct);
    }

    public static async Task<Results<Ok<MemberView>, ProblemHttpResult>> GetMyMembership(HttpContext http, MySqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<MemberRow>(new CommandDefinition(MyMember, new { callerId = http.User.UserId() }, cancellationToken: ct));
        return row is null
            ? Problems.NotAMember()
            : TypedResults.Ok(row.ToView());
    }

    public static async Task<Results<Ok<MemberView>, ProblemHttpResult>> GetMember(long id, HttpContext http, MySqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<MemberRow>(new CommandDefinition(MemberInScope, new { id, callerId = http.User.UserId() }, cancellationToken: ct));
        return row is null ? Problems.NotFound("membership.member.notFound") : TypedResults.Ok(row.ToView());
    }

    private static string EscapeLike(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
