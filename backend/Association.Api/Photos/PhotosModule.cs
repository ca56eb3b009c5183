namespace Association.Api.Photos;

/// <summary>Photos uploaded by the mini-program, kept outside the database and served in scope.</summary>
public static class PhotosModule
{
    public static void AddPhotos(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<PhotoOptions>().BindConfiguration(PhotoOptions.Section).ValidateDataAnnotations().ValidateOnStart();
    }

    public static void MapPhotos(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/photos").WithTags("Photos").RequireAuthorization().MapPhotosApi();
    }
}
