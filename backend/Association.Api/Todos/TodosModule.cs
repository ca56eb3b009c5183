namespace Association.Api.Todos;

/// <summary>The caller's to-dos (待办) across the features.</summary>
public static class TodosModule
{
    public static void MapTodos(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/todos").WithTags("To-dos").RequireAuthorization().MapTodosApi();
    }
}
