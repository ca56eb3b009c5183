namespace Association.Api.Organisation;

/// <summary>The tree District > SubDistrict > Village > Grid, read by anyone and edited by admins beneath their own unit.</summary>
public static class OrganisationModule
{
    public static void MapOrganisation(this IEndpointRouteBuilder app)
    {
        var org = app.MapGroup("/api/org").WithTags("Organisation");
        org.MapOrganisationApi();
        org.MapGroup("/units").RequireAuthorization().MapOrganisationAdminApi();
        org.MapGroup("/households").RequireAuthorization().MapHouseholdImportApi();
    }
}
