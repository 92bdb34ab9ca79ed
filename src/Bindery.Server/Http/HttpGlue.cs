using Bindery.Domain;
using Bindery.Server.Infrastructure;
using Microsoft.Extensions.Options;

namespace Bindery.Server.Http;

/// <summary>What every endpoint needs from the request: the actor, the language, the idempotency key.</summary>
public static class HttpGlue
{
    public static Language Lang(this HttpContext http) => Http.Lang.Of(http);

    public static Principal Principal(this HttpContext http) => Infrastructure.Principal.From(http.User);

    public static Actor Actor(this HttpContext http) =>
        new(http.Principal(), http.Connection.RemoteIpAddress?.ToString(), http.CallerCountry(), http.Lang());

    /// <summary>TS-E4: the country of the caller's network address, from the configured header; null when unknown.</summary>
    public static string? CallerCountry(this HttpContext http)
    {
        var options = http.RequestServices.GetRequiredService<IOptions<BinderyOptions>>().Value;
        return CountryCode.TryParse(http.Request.Headers[options.ClientCountryHeader].ToString(), out var code) ? code.Value : null;
    }

    /// <summary>Runs a write through the pipeline, honouring an Idempotency-Key header (Z-3), and answers with its result.</summary>
    public static async Task<IResult> Write(this HttpContext http, IWriteCommand command, CancellationToken ct) =>
        (await http.Send(command, ct)).ToHttp();

    /// <summary>Runs a write through the pipeline, honouring an Idempotency-Key header (Z-3).</summary>
    public static async Task<Result> Send(this HttpContext http, IWriteCommand command, CancellationToken ct)
    {
        string? key = null;
        if (http.Request.Headers.TryGetValue("Idempotency-Key", out var values))
        {
            key = values.ToString();
            if (key.Length is 0 or > 200)
            {
                return Result.Invalid("Idempotency-Key", "must be 1 to 200 characters");
            }
            if (InputText.Problem(key, multiLine: false) is { } keyProblem)
            {
                return Result.Invalid("Idempotency-Key", keyProblem);
            }
        }
        var pipeline = http.RequestServices.GetRequiredService<WritePipeline>();
        return await pipeline.Execute(command, http.Actor(), key, ct, key is null ? null : RequestFingerprint.Of(http, command));
    }

    /// <summary>The request's caller as a query's context: the same queries serve the API and the console.</summary>
    public static ReadContext Reader(this HttpContext http) =>
        new(http.RequestServices.GetRequiredService<Persistence.BinderyDb>(), http.RequestServices.GetRequiredService<PolicyCatalog>(),
            http.RequestServices.GetRequiredService<TimeProvider>(), http.RequestServices.GetRequiredService<WritePipeline>(), Infrastructure.Principal.OrAnonymous(http.User), http.Lang(),
            http.CallerCountry());

    /// <summary>Reads settle due time transitions first, so what they show is exact at the clock's instant.</summary>
    public static Task Settle(this HttpContext http, CancellationToken ct) =>
        http.RequestServices.GetRequiredService<WritePipeline>().SettleIfDue(ct);

    public static IResult NotFound(this HttpContext http, string what) => Result.NotFound(what).ToHttp();

    public static IResult Invalid(this HttpContext http, string field, string message) => Result.Invalid(field, message).ToHttp();

    /// <summary>The request's field errors as a 400 validation_failed answer.</summary>
    public static IResult Problem(this FieldErrors errors, Language lang) => errors.ToResult().ToHttp();
}
