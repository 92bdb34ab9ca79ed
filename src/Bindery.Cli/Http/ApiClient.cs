using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Bindery.Cli.Http;

/// <summary>Where and as whom the CLI calls the API, after options, environment and the config file are merged.</summary>
public sealed record Connection(Uri Server, string Token, string? Language, string? Country);

/// <summary>A 2xx answer: its status, headers and body text (JSON is parsed on demand).</summary>
public sealed record ApiResponse(int Status, string Text, HttpResponseHeaders Headers)
{
    public JsonNode Json => JsonNode.Parse(Text) ?? new JsonObject();
}

/// <summary>A non-2xx answer of the API: an application/problem+json body with <c>code</c> (or whatever came).</summary>
public sealed class ApiProblemException(int status, string text, string request) : Exception($"{request}: HTTP {status}")
{
    public int Status { get; } = status;

    public string Text { get; } = text;

    public string Request { get; } = request;

    public JsonObject? Problem { get; } = TryParse(text);

    public string? Code => Problem?["code"]?.GetValue<string>();

    public int ExitCode => ExitCodes.ForProblem(Status, Code);

    private static JsonObject? TryParse(string text)
    {
        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}

/// <summary>The server could not be reached or did not answer in time (exit 3).</summary>
public sealed class ServerUnreachableException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// A thin client of the Bindery HTTP API: bearer token, Accept-Language, the caller's country header, JSON in,
/// text out. Paths are relative ("api/v1/…") so a server URL with a path prefix works behind a proxy.
/// </summary>
public sealed class ApiClient : IDisposable
{
    private readonly HttpClient http;

    public ApiClient(HttpMessageHandler handler, Connection connection)
    {
        var server = connection.Server.AbsoluteUri.EndsWith('/') ? connection.Server : new Uri(connection.Server.AbsoluteUri + "/");
        http = new HttpClient(handler, disposeHandler: true) { BaseAddress = server, Timeout = TimeSpan.FromSeconds(100) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", connection.Token);
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("bindery-cli", typeof(ApiClient).Assembly.GetName().Version?.ToString(3) ?? "0"));
        if (connection.Language is { Length: > 0 } language)
        {
            http.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        }
        if (connection.Country is { Length: > 0 } country)
        {
            http.DefaultRequestHeaders.Add("X-Client-Country", country);
        }
        Server = server;
    }

    public Uri Server { get; }

    public Task<ApiResponse> Get(string path, CancellationToken ct) => Send(HttpMethod.Get, path, null, null, ct);

    public Task<ApiResponse> Post(string path, JsonNode? body, CancellationToken ct, string? idempotencyKey = null) =>
        Send(HttpMethod.Post, path, body ?? new JsonObject(), idempotencyKey, ct);

    /// <summary>Sends a request and returns a 2xx answer.</summary>
    /// <exception cref="ApiProblemException">Any other status.</exception>
    /// <exception cref="ServerUnreachableException">No answer: connection refused, reset, or timed out.</exception>
    public async Task<ApiResponse> Send(HttpMethod method, string path, JsonNode? body, string? idempotencyKey, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        using var response = await Call(request, HttpCompletionOption.ResponseContentRead, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new ApiProblemException((int)response.StatusCode, text, $"{method} /{path}");
        }
        return new ApiResponse((int)response.StatusCode, text, response.Headers);
    }

    /// <summary>
    /// A GET whose body is read as a stream (exports): the caller copies it while it arrives, never holding it whole.
    /// </summary>
    public async Task<HttpResponseMessage> OpenStream(string path, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        var response = await Call(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                throw new ApiProblemException((int)response.StatusCode, await response.Content.ReadAsStringAsync(ct), $"GET /{path}");
            }
        }
        return response;
    }

    private async Task<HttpResponseMessage> Call(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken ct)
    {
        try
        {
            return await http.SendAsync(request, completion, ct);
        }
        catch (HttpRequestException e)
        {
            throw new ServerUnreachableException($"Cannot reach the Bindery server at {Server}: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new ServerUnreachableException($"The Bindery server at {Server} did not answer within {http.Timeout.TotalSeconds:0} s.", e);
        }
    }

    public void Dispose() => http.Dispose();
}
