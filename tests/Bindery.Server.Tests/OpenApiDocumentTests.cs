using System.Net;
using System.Text.Json.Nodes;

namespace Bindery.Server.Tests;

/// <summary>
/// The OpenAPI document is checked in (docs/openapi.json) so that API changes show in diffs. After an intended
/// change, regenerate it with: BINDERY_UPDATE_OPENAPI=1 ./test.sh --filter OpenApiDocumentTests
/// </summary>
public sealed class OpenApiDocumentTests : IDisposable
{
    private readonly BinderyFactory factory = new();

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task The_interactive_reference_at_docs_reads_the_same_document_with_its_own_script()
    {
        var client = factory.CreateClient(new() { AllowAutoRedirect = true });
        var page = await client.GetAsync("/docs/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("src=\"scalar.js\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        var script = await client.GetAsync("/docs/scalar.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        // Resolved by the page against the site's root: /openapi/v1.json, the document above.
        Assert.Contains("\"url\":\"openapi/v1.json\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generated_document_matches_the_checked_in_one()
    {
        var response = await factory.CreateClient().GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var generated = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        // The server URL depends on the host the test runs on, not on the API.
        generated.AsObject().Remove("servers");
        var text = generated.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n";

        var path = Path.Combine(RepoRoot(), "docs", "openapi.json");
        if (Environment.GetEnvironmentVariable("BINDERY_UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(path, text);
        }
        Assert.True(File.Exists(path), "docs/openapi.json is missing; run with BINDERY_UPDATE_OPENAPI=1 to create it");
        var expected = await File.ReadAllTextAsync(path);
        Assert.True(string.Equals(expected, text, StringComparison.Ordinal),
            "The API changed: review the difference and regenerate docs/openapi.json with BINDERY_UPDATE_OPENAPI=1.");

        // Every API operation is named and summarised (house rule 7).
        foreach (var (route, item) in generated["paths"]!.AsObject())
        {
            foreach (var (method, op) in item!.AsObject())
            {
                if (route.StartsWith("/api/", StringComparison.Ordinal))
                {
                    Assert.False(string.IsNullOrEmpty(op?["operationId"]?.GetValue<string>()), $"{method} {route} has no name");
                    Assert.False(string.IsNullOrEmpty(op?["summary"]?.GetValue<string>()), $"{method} {route} has no summary");
                }
            }
        }
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Bindery.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Bindery.sln not found above the test binaries");
    }
}
