using System.Net;
using System.Text;
using Bindery.Server.Http;

namespace Bindery.Cli.Tests;

/// <summary>One request as the stub saw it.</summary>
public sealed record SeenRequest(HttpMethod Method, string PathAndQuery, string? Body, IReadOnlyDictionary<string, string> Headers);

/// <summary>
/// A fake HTTP handler for the units where the server's answer is the input under test (exit-code mapping, odd
/// answers, network failures). Everything that a real host can answer is tested against one (EndToEndTests).
/// </summary>
public sealed class StubHandler(Func<SeenRequest, HttpResponseMessage> answer) : HttpMessageHandler
{
    public List<SeenRequest> Seen { get; } = [];

    public static HttpResponseMessage Json(HttpStatusCode status, string json, string mediaType = "application/json") =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, mediaType) };

    public static HttpResponseMessage Problem(int status, string json) =>
        Json((HttpStatusCode)status, json, "application/problem+json");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var headers = request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        var seen = new SeenRequest(request.Method, request.RequestUri!.PathAndQuery, body, headers);
        lock (Seen)
        {
            Seen.Add(seen);
        }
        return answer(seen);
    }
}
