using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Bindery.Server.Infrastructure;

/// <summary>
/// Fixed-window limits on write requests (anything but GET/HEAD/OPTIONS under /api), per principal and per client
/// address, and on sign-in attempts per client address. A refused request gets 429 problem+json with Retry-After and
/// nothing runs. Limits come from Bindery:RateLimits; test mode defaults to limits no test reaches.
/// </summary>
public static class RateLimits
{
    public const string SignInPath = "/api/v1/sessions";

    public static IServiceCollection AddBinderyRateLimits(this IServiceCollection services, BinderyOptions options)
    {
        var o = options.RateLimits;
        var relaxed = options.Mode == RunMode.Test;
        var perPrincipal = o.WritesPerPrincipal ?? (relaxed ? 1_000_000 : 1_200);
        var perAddress = o.WritesPerAddress ?? (relaxed ? 1_000_000 : 2_400);
        var signIns = o.SignInsPerAddress ?? (relaxed ? 1_000_000 : 10);
        var window = o.Window > TimeSpan.Zero ? o.Window : TimeSpan.FromMinutes(1);

        FixedWindowRateLimiterOptions Limit(int permits) => new()
        {
            PermitLimit = Math.Max(1, permits),
            Window = window,
            QueueLimit = 0,
            AutoReplenishment = true,
        };

        services.AddRateLimiter(r =>
        {
            r.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            r.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(http =>
                    IsWrite(http) && http.User.Identity?.IsAuthenticated == true && http.User.Identity.Name is { } name
                        ? RateLimitPartition.GetFixedWindowLimiter("principal:" + name, _ => Limit(perPrincipal))
                        : RateLimitPartition.GetNoLimiter("")),
                PartitionedRateLimiter.Create<HttpContext, string>(http =>
                    IsWrite(http)
                        ? RateLimitPartition.GetFixedWindowLimiter("address:" + Address(http), _ => Limit(perAddress))
                        : RateLimitPartition.GetNoLimiter("")),
                PartitionedRateLimiter.Create<HttpContext, string>(http =>
                    HttpMethods.IsPost(http.Request.Method) && http.Request.Path.Equals(SignInPath, StringComparison.OrdinalIgnoreCase)
                        ? RateLimitPartition.GetFixedWindowLimiter("sign-in:" + Address(http), _ => Limit(signIns))
                        : RateLimitPartition.GetNoLimiter("")));
            r.OnRejected = async (ctx, ct) =>
            {
                var http = ctx.HttpContext;
                var seconds = ctx.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)) : (int)window.TotalSeconds;
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                var problem = Problems.Make(429, "rate_limited", Lang.Of(http),
                    $"Too many requests from this caller; try again in {seconds} s.") with
                {
                    Extensions = new Dictionary<string, object> { ["retryAfterSeconds"] = seconds },
                };
                await Problems.Write(http, problem);
            };
        });
        return services;
    }

    private static bool IsWrite(HttpContext http) =>
        http.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal)
        && !HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method) && !HttpMethods.IsOptions(http.Request.Method);

    private static string Address(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
