using System.Net.Http.Json;
using Association.Api.Members;
using Association.Tests.Infrastructure;

namespace Association.Tests.Members;

/// <summary>Valid (made-up) resident ID numbers and ready applications for tests.</summary>
public static class TestPeople
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private static int _sequence = Random.Shared.Next(100, 600);

    /// <summary>An ID number of Tianxin District, Changsha (430103) with the given birth date and a correct check digit.</summary>
    public static string IdNumber(string birth = "19850312")
    {
        var body = $"430103{birth}{Interlocked.Increment(ref _sequence) % 1000:000}";
        var sum = body.Select((c, i) => (c - '0') * Weights[i]).Sum();
        return body + "10X98765432"[sum % 11];
    }

    public static string Phone() => "139" + Random.Shared.Next(10_000_000, 99_999_999);

    public static ApplyRequest Application(long gridId, string? idNumber = null, string? phone = null, bool notify = true) => new(
        "张三", phone ?? Phone(), null, idNumber ?? IdNumber(), gridId, "大托村12组3号",
        [VolunteerRole.Patrol, VolunteerRole.HazardScreening], "2026-11", true, notify);

    public static async Task<ApplicationView> ApplyAsync(this SignedIn person, ApplyRequest request)
    {
        var response = await person.Client.PostAsJsonAsync("/api/membership/applications", request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<ApplicationView>())!;
    }

    /// <summary>Signs a new person in, applies for the grid and has <paramref name="approver"/> approve.</summary>
    public static async Task<(SignedIn Person, MemberView Member)> NewMemberAsync(
        this AssociationApp app, SignedIn approver, long gridId, string name = "李四", string? user = null)
    {
        var person = await app.SignInAsync(user ?? "member-" + Guid.NewGuid().ToString("N")[..10]);
        var application = await person.ApplyAsync(Application(gridId) with { RealName = name });
        (await approver.Client.PostAsync($"/api/membership/applications/{application.Id}/approve", null)).EnsureSuccessStatusCode();
        var member = await person.Client.GetFromJsonAsync<MemberView>("/api/members/me");
        return (person, member!);
    }
}
