using Bindery.Server.Infrastructure;
using Bindery.Server.Pages;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Bindery.Server.Api.Applications;

/// <summary>
/// The OpenAPI description of the hand-read multipart bodies. Written as a document transform rather than with
/// <c>Accepts&lt;T&gt;</c>: accepts-metadata would make routing answer other media types with a bare 415 before the
/// endpoint can explain that the form must be multipart/form-data.
/// </summary>
public static class MultipartDocs
{
    public static RouteHandlerBuilder MultipartForm(this RouteHandlerBuilder builder, bool withTextFields) =>
        builder.AddOpenApiOperationTransformer((operation, context, _) =>
        {
            var kinds = context.ApplicationServices.GetRequiredService<PolicyCatalog>().All
                .SelectMany(p => p.UnbindApplication?.Evidence.Kinds ?? (IEnumerable<string>)[])
                .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
            var properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
            var required = new HashSet<string>(StringComparer.Ordinal);
            if (withTextFields)
            {
                properties["reason"] = Text("A reason code of the shop's policy (DY-A1).");
                properties["reasonText"] = Text("A description; required when the reason requires text, such as 'other'.");
                properties["contactName"] = Text("The merchant's contact person.");
                properties["contactPhone"] = Text("6 to 15 digits, optionally starting with +.");
                required.UnionWith(["reason", "contactName", "contactPhone"]);
            }
            foreach (var kind in kinds)
            {
                properties[kind] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Array,
                    Items = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" },
                    Description = $"Evidence files of kind {kind}: PDF, JPEG or PNG, judged by their content (DY-A5).",
                };
            }
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
                {
                    ["multipart/form-data"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.Object, Properties = properties, Required = required } },
                },
            };
            return Task.CompletedTask;
        });

    private static OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String, Description = description };
}
