namespace Association.Api.Platform.OpenApi;

public static class OpenApiSetup
{
    public const string DocumentPath = "/openapi/v1.json";

    public static void AddApiDocument(this IServiceCollection services)
    {
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer(ContractConventions.DescribeDocument);
            options.AddOperationTransformer(ContractConventions.DescribeOperation);
            options.AddSchemaTransformer(ContractConventions.NullMeansOptional);
            options.AddSchemaTransformer(ErrorCodesInContract.LabelEnums);
        });
    }
}
