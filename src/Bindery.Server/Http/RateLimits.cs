using System.Globalization;
using System.Threading.RateLimiting;
using Bindery.Domain;
using Bindery.Server.Infrastructure;
using Microsoft.AspNetCore.RateLimiting;

namespace Bindery.Server.Http;

/// <summary>
/// Fixed-window limits on write requests (any method but GET/HEAD/OPTIONS/TRACE, whatever the path and whether or not
/// it matches an endpoint), per principal and per client address, and on sign-in attempts per client address at the
/// endpoints that declare <see cref="SignInAttempts"/>. Nothing is decided from the request's path. A refused request gets 429 problem+json with Retry-After and
/// nothing runs. Limits come from Bindery:RateLimits; test mode defaults to limits no test reaches.
/// </summary>
public static class RateLimits
{
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
                    IsWrite(http) && http.GetEndpoint()?.Metadata.GetMetadata<SignInAttempts>() is not null
                        ? RateLimitPartition.GetFixedWindowLimiter("sign-in:" + Address(http), _ => Limit(signIns))
                        : RateLimitPartition.GetNoLimiter("")));
            r.OnRejected = async (ctx, ct) =>
            {
                var http = ctx.HttpContext;
                var seconds = ctx.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)) : (int)window.TotalSeconds;
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                var problem = Problems.Make(429, "rate_limited", Lang.Of(http), Texts.For(Lang.Of(http)).Format("detail.rate_limited",
                    Words.Duration(TimeSpan.FromSeconds(seconds), Lang.Of(http)))) with
                {
                    Extensions = new Dictionary<string, object> { ["retryAfterSeconds"] = seconds },
                };
                await Problems.Write(http, problem);
            };
        });
        return services;
    }

    private static bool IsWrite(HttpContext http) => !AccessGate.IsSafe(http.Request.Method);

    private static string Address(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
