using Bindery.Server.Infrastructure;

namespace Bindery.Server.Http;

/// <summary>
/// One log line and two measurements per request: method, route template (never the raw path with ids or query),
/// status, duration and the principal's name (admin, merchant:shop, creator:account; never a token or secret).
/// </summary>
public sealed class RequestTelemetry(RequestDelegate next, TimeProvider clock, ILoggerFactory loggers)
{
    /// <summary>The log category of the request lines.</summary>
    public const string Category = "Bindery.Requests";

    private readonly ILogger log = loggers.CreateLogger(Category);

    public async Task InvokeAsync(HttpContext http)
    {
        var started = clock.GetTimestamp();
        try
        {
            await next(http);
        }
        finally
        {
            var took = clock.GetElapsedTime(started);
            var route = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(unmatched)";
            var status = http.Response.StatusCode;
            BinderyMetrics.Request(route, http.Request.Method, status, took);
            var who = http.User.Identity?.IsAuthenticated == true ? Principal.From(http.User).Name : "anonymous";
            log.LogInformation("HTTP {Method} {Route} answered {Status} in {DurationMs} ms for {Principal}",
                http.Request.Method, route, status, Math.Round(took.TotalMilliseconds, 2), who);
        }
    }
}
