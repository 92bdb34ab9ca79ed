using System.Text.Json;
using System.Text.Json.Serialization;
using Bindery.Domain;
using Bindery.Server.Infrastructure;

namespace Bindery.Server.Http;

public static class Lang
{
    /// <summary>Set by the web console to the language the person chose (ADR 0015); the API never sets it.</summary>
    public const string ChosenKey = "bindery.language";

    /// <summary>The console's chosen language if any, else zh-CN when the caller's Accept-Language prefers Chinese, else English.</summary>
    public static Language Of(HttpContext http)
    {
        if (http.Items.TryGetValue(ChosenKey, out var chosen) && chosen is Language language)
        {
            return language;
        }
        return FromHeader(http);
    }

    /// <summary>zh-CN when the caller's Accept-Language prefers Chinese, else English.</summary>
    public static Language FromHeader(HttpContext http)
    {
        var header = http.Request.Headers.AcceptLanguage.ToString();
        if (header.Length == 0)
        {
            return Language.En;
        }
        var best = Language.En;
        var bestQ = -1.0;
        foreach (var part in header.Split(','))
        {
            var pieces = part.Split(';');
            var tag = pieces[0].Trim();
            var q = 1.0;
            foreach (var p in pieces.Skip(1))
            {
                var kv = p.Trim();
                if (kv.StartsWith("q=", StringComparison.OrdinalIgnoreCase)
                    && double.TryParse(kv[2..], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
                {
                    q = parsed;
                }
            }
            Language? lang = tag.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? Language.ZhCn
                : tag.StartsWith("en", StringComparison.OrdinalIgnoreCase) || tag == "*" ? Language.En : null;
            if (lang is { } l && q > bestQ)
            {
                best = l;
                bestQ = q;
            }
        }
        return best;
    }
}

public static class Problems
{
    // Every problem title, read from the text catalog (problem.<code>, ADR 0020).
    private static readonly Dictionary<string, (string En, string Zh)> Titles =
        Texts.For(Language.En).Under("problem.").ToDictionary(code => code,
            code => (Texts.For(Language.En)["problem." + code], Texts.For(Language.ZhCn)["problem." + code]), StringComparer.Ordinal);

    /// <summary>Every problem code with its own title (English, Chinese).</summary>
    public static IReadOnlyDictionary<string, (string En, string Zh)> TitledCodes => Titles;

    public static ProblemBody Make(int status, string code, Language lang, string? detail = null,
        IReadOnlyList<string>? rules = null, IReadOnlyList<ReasonView>? reasons = null, IReadOnlyDictionary<string, string[]>? errors = null,
        DateTimeOffset? passesAt = null)
    {
        var (en, zh) = Titles.TryGetValue(code, out var t) ? t
            : (Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase + "." : "The request failed.",
                $"请求失败(HTTP {status.ToString(System.Globalization.CultureInfo.InvariantCulture)})。");
        var title = lang == Language.ZhCn ? zh : en;
        return new ProblemBody("urn:bindery:problem:" + code.Replace('_', '-'), title, status, detail ?? title, code, rules, reasons, errors, passesAt);
    }

    public static ProblemBody Validation(Language lang, IReadOnlyDictionary<string, string[]> errors) =>
        Make(400, "validation_failed", lang, string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join("; ", e.Value)}")), errors: errors);

    public static ProblemBody Validation(Language lang, string field, string message) =>
        Validation(lang, new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [message] });

    public static ProblemBody NotFound(Language lang, string what) =>
        Make(404, "not_found", lang, lang == Language.ZhCn ? $"未找到该{ZhThing(what)}。" : $"No {what} with that id is visible to you.");

    /// <summary>The Chinese name of each kind of thing a 404 names (a test scans the source for every one).</summary>
    public static readonly IReadOnlyDictionary<string, string> Things =
        Texts.For(Language.En).Under("thing.").ToDictionary(key => Texts.For(Language.En)["thing." + key],
            key => Texts.For(Language.ZhCn)["thing." + key], StringComparer.Ordinal);

    private static string ZhThing(string what) => Things.TryGetValue(what, out var zh) ? zh : what;

    /// <summary>The detail in the caller's language: every detail the server writes is given in both.</summary>
    public static string Say(Language lang, string en, string zh) => lang == Language.ZhCn ? zh : en;

    public static ProblemBody Unauthorized(Language lang) => Make(401, "unauthorized", lang);

    public static ProblemBody Forbidden(Language lang) => Make(403, "forbidden", lang);

    /// <summary>403 saying why, in the caller's language: every detail the server writes exists in both.</summary>
    public static ProblemBody Forbidden(Language lang, string en, string zh) => Make(403, "forbidden", lang, lang == Language.ZhCn ? zh : en);


    public static Task Write(HttpContext http, ProblemBody body)
    {
        http.Response.StatusCode = body.Status;
        return http.Response.WriteAsJsonAsync(body, Json.Options, "application/problem+json", http.RequestAborted);
    }
}

/// <summary>
/// An HTTP answer as the edge writes it: a status, a JSON body (problem+json for problems), an optional Location and
/// Retry-After. Only the edge builds one (<see cref="ResultHttp"/> from a core result); commands and queries never do.
/// </summary>
public sealed record Outcome(int Status, object? Body, string? Location = null) : IResult
{
    public static Outcome Ok(object body) => new(200, body);

    public static Outcome Created(object body, string location) => new(201, body, location);

    public static Outcome Problem(ProblemBody problem) => new(problem.Status, problem);

    public bool IsSuccess => Status is >= 200 and < 300;

    /// <summary>Sent as the Retry-After header (whole seconds): when asking again may succeed.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>
    /// A refusal whose staged changes still commit (DY-M4: a wrong code is refused, yet it counts towards the lock).
    /// Every other problem answer changes nothing.
    /// </summary>
    public bool CommitsChanges { get; init; }

    public Task ExecuteAsync(HttpContext httpContext)
    {
        if (RetryAfter is { } retry)
        {
            httpContext.Response.Headers.RetryAfter = ((long)Math.Ceiling(retry.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (Body is ProblemBody p)
        {
            return Problems.Write(httpContext, p);
        }
        if (Body is ReplayedBody replay)
        {
            // Z-3: a retried request gets the first answer, byte for byte, marked as a replay.
            httpContext.Response.StatusCode = Status;
            httpContext.Response.Headers["Idempotent-Replayed"] = "true";
            if (Location is not null)
            {
                httpContext.Response.Headers.Location = Location;
            }
            httpContext.Response.ContentType = Status >= 400 ? "application/problem+json" : "application/json; charset=utf-8";
            return httpContext.Response.WriteAsync(replay.Json, httpContext.RequestAborted);
        }
        httpContext.Response.StatusCode = Status;
        if (Location is not null)
        {
            httpContext.Response.Headers.Location = Location;
        }
        return Body is null ? Task.CompletedTask : httpContext.Response.WriteAsJsonAsync(Body, Body.GetType(), Json.Options, "application/json", httpContext.RequestAborted);
    }
}

/// <summary>A stored answer replayed verbatim for an idempotent retry.</summary>
public sealed record ReplayedBody(string Json);
