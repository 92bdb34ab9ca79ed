using Bindery.Server.Infrastructure;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Bindery.Server.Http;

/// <summary>
/// The checks every request passes before any endpoint reads it, each refusal an application/problem+json answer:
/// a request target of at most <see cref="MaxTarget"/> characters (else 414), headers of at most
/// <see cref="MaxHeaders"/> bytes (else 431), a body of at most the endpoint's limit (else 413: <see cref="DefaultBodyLimit"/>
/// unless the endpoint carries <see cref="IRequestSizeLimitMetadata"/>, e.g. the bulk endpoints or the evidence upload that
/// sets its own), and route and query values without control characters (else 400 naming the parameter, <see cref="InputText"/>).
/// A JSON body is read here, within its limit, so that what it costs is bounded before it is parsed, and is kept for the
/// idempotency fingerprint (<see cref="BodyKey"/>).
/// </summary>
public sealed class InputGate(RequestDelegate next)
{
    /// <summary>Every endpoint's body limit unless it states its own: 1 MiB.</summary>
    public const long DefaultBodyLimit = 1 << 20;

    /// <summary>The bulk endpoints' body limit (1000 items of a few hundred bytes each fit well within it): 4 MiB.</summary>
    public const long BulkBodyLimit = 4 << 20;

    /// <summary>The longest request target (path and query) answered by the application; longer is 414.</summary>
    public const int MaxTarget = 8 * 1024;

    /// <summary>The most header bytes (names and values) answered by the application; more is 431.</summary>
    public const int MaxHeaders = 32 * 1024;

    /// <summary>The request's JSON body as read (a byte[]), for the idempotency fingerprint.</summary>
    public const string BodyKey = "bindery.body";

    /// <summary>
    /// Kestrel's own limits sit above the application's (4x the target, 2x the headers), so that what exceeds the
    /// application's limits a little is answered by <see cref="InputGate"/> as problem+json; only what exceeds
    /// Kestrel's limits too is refused by Kestrel itself, before any application code runs (an empty 414/431).
    /// </summary>
    public static void ConfigureKestrel(KestrelServerOptions kestrel)
    {
        kestrel.Limits.MaxRequestLineSize = 4 * MaxTarget;
        kestrel.Limits.MaxRequestHeadersTotalSize = 2 * MaxHeaders;
        kestrel.Limits.MaxRequestBodySize = DefaultBodyLimit;
    }

    public async Task InvokeAsync(HttpContext http)
    {
        var lang = Lang.FromHeader(http);
        var request = http.Request;
        var target = http.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(target))
        {
            target = request.PathBase.Value + request.Path.Value + request.QueryString.Value;
        }
        if (target.Length > MaxTarget)
        {
            await Problems.Write(http, Problems.Make(414, "uri_too_long", lang,
                Domain.Texts.For(lang).Format("detail.uri_too_long", MaxTarget)));
            return;
        }
        long headerBytes = 0;
        string? badHeader = null;
        foreach (var (name, values) in request.Headers)
        {
            headerBytes += name.Length + 4;
            foreach (var v in values)
            {
                headerBytes += v?.Length ?? 0;
                // Kestrel lets C0 controls other than CR, LF and NUL through in header values (HTTP allows only HTAB).
                if (badHeader is null && v is not null && v.Any(c => (c < 0x20 && c != '\t') || c == '\u007f'))
                {
                    badHeader = name;
                }
            }
        }
        if (headerBytes > MaxHeaders)
        {
            await Problems.Write(http, Problems.Make(431, "request_headers_too_large", lang,
                Domain.Texts.For(lang).Format("detail.request_headers_too_large", MaxHeaders)));
            return;
        }

        if (badHeader is not null)
        {
            await Problems.Write(http, Problems.Validation(lang, badHeader, "must not contain control characters other than tab"));
            return;
        }

        var metadata = http.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>();
        var limit = metadata is null ? DefaultBodyLimit : metadata.MaxRequestBodySize;
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit;
        }
        if (limit is { } max && request.ContentLength > max)
        {
            await Problems.Write(http, TooLarge(lang, max));
            return;
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (name, value) in request.RouteValues)
        {
            if (value is string s && InputText.Problem(s, multiLine: false) is { } problem)
            {
                errors[name] = [problem];
            }
        }
        foreach (var (name, values) in request.Query)
        {
            var problem = InputText.Problem(name, multiLine: false)
                ?? values.Select(v => v is null ? null : InputText.Problem(v, multiLine: false)).FirstOrDefault(p => p is not null);
            if (problem is not null)
            {
                errors[InputText.Printable(name)] = [problem];
            }
        }
        if (errors.Count == 0 && limit is not null && request.HasFormContentType
            && request.ContentType!.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            // The console's forms: read (within the limit) and kept for the page, which reads the same form again.
            foreach (var (name, values) in await request.ReadFormAsync(http.RequestAborted))
            {
                var multiLine = InputText.MultiLineFields.Contains(name);
                var problem = InputText.Problem(name, multiLine: false)
                    ?? values.Select(v => v is null ? null : InputText.Problem(v, multiLine)).FirstOrDefault(p => p is not null);
                if (problem is not null)
                {
                    errors[InputText.Printable(name)] = [problem];
                }
            }
        }
        if (errors.Count > 0)
        {
            await Problems.Write(http, Problems.Validation(lang, errors));
            return;
        }

        if (limit is { } bodyLimit && IsJson(request.ContentType)
            && (request.ContentLength > 0 || (request.ContentLength is null && http.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true)))
        {
            var body = await ReadAtMost(request.Body, bodyLimit, request.ContentLength, http.RequestAborted);
            if (body is null)
            {
                await Problems.Write(http, TooLarge(lang, bodyLimit));
                return;
            }
            if (InputText.FirstProblem(body) is { } text)
            {
                await Problems.Write(http, Problems.Validation(lang, text.Field, text.Problem));
                return;
            }
            http.Items[BodyKey] = body;
            var original = request.Body;
            request.Body = new MemoryStream(body, writable: false);
            try
            {
                await next(http);
            }
            finally
            {
                request.Body = original;
            }
            return;
        }
        await next(http);
    }

    public static ProblemBody TooLarge(Domain.Language lang, long limit) =>
        Problems.Make(413, "request_too_large", lang, Domain.Texts.For(lang).Format("detail.request_too_large", limit));

    private static bool IsJson(string? contentType)
    {
        if (contentType is null || !Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media))
        {
            return false;
        }
        var type = media.MediaType.Value ?? "";
        return type.Equals("application/json", StringComparison.OrdinalIgnoreCase) || type.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The whole body, or null when it is longer than <paramref name="limit"/> (reading stops there).</summary>
    private static async Task<byte[]?> ReadAtMost(Stream body, long limit, long? length, CancellationToken ct)
    {
        // Sized to the announced length, so a body costs its own size once (not a doubling buffer and a copy).
        using var buffer = new MemoryStream((int)Math.Min(length ?? 16 * 1024, limit));
        var chunk = new byte[16 * 1024];
        int n;
        while ((n = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + n > limit)
            {
                return null;
            }
            buffer.Write(chunk, 0, n);
        }
        return buffer.Length == buffer.Capacity ? buffer.GetBuffer() : buffer.ToArray();
    }
}

/// <summary>An endpoint's own body limit (<see cref="InputGate"/>); null: the endpoint sets its limit itself before reading.</summary>
public sealed class BodyLimit(long? max) : IRequestSizeLimitMetadata
{
    /// <summary>The multipart evidence upload, whose limit follows the policy (set by the form reader before it reads).</summary>
    public static readonly BodyLimit SetByEndpoint = new(null);

    public long? MaxRequestBodySize { get; } = max;
}
