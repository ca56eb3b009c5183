namespace Association.Api.Members;

public static class MembershipSetup
{
    public static IServiceCollection AddMembership(this IServiceCollection services)
    {
        services.AddOptions<MembershipOptions>().BindConfiguration(MembershipOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ApplicantNotifier>();
        return services;
    }
}
