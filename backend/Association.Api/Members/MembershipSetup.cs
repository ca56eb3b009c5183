namespace Association.Api.Members;

public static class MembershipSetup
{
    public static IServiceCollection AddMembership(this IServiceCollection services)
    {
        services.AddOptions<MembershipOptions>().BindConfiguration(MembershipOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ApplicantNotifier>();
        services.AddSingleton<MemberNames>();
        services.AddHostedService(provider => provider.GetRequiredService<MemberNames>());
        return services;
    }
}
