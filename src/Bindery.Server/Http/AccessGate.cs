using System.Collections.Frozen;
using Bindery.Domain;
using Bindery.Server.Infrastructure;

namespace Bindery.Server.Http;

/// <summary>Which kinds of caller an endpoint admits. The admin is always admitted.</summary>
[Flags]
public enum Callers
{
    Admin = 1,
    Reviewer = 2,
    Support = 4,
    Merchant = 8,
    Creator = 16,

    /// <summary>Any platform staff.</summary>
    Staff = Admin | Reviewer | Support,

    /// <summary>Any authenticated caller.</summary>
    Anyone = Staff | Merchant | Creator,

    /// <summary>No authentication needed (sign-in, demo principals).</summary>
    Anonymous = 64,
}

/// <summary>
/// An endpoint's declared requirement: the caller kinds it admits and, for merchants, the permission a sub account
/// needs. Checked by <see cref="AccessGate"/> before the request body is read; a handler still checks the tenant.
/// </summary>
public sealed record AccessRequirement(Callers Callers, Permission? Permission)
{
    public bool Admits(Principal p) => p.Kind switch
    {
        PrincipalKind.Admin => true,
        PrincipalKind.Reviewer => Callers.HasFlag(Callers.Reviewer),
        PrincipalKind.Support => Callers.HasFlag(Callers.Support),
        PrincipalKind.Creator => Callers.HasFlag(Callers.Creator),
        PrincipalKind.Merchant => Callers.HasFlag(Callers.Merchant) && (Permission is not { } needed || p.May(needed)),
        _ => false,
    };
}

/// <summary>How an endpoint declares who may call it; <see cref="AccessGate"/> enforces the declaration.</summary>
public static class EndpointAccess
{
    /// <summary>
    /// Declares who may call this endpoint (or every endpoint of a group): the caller kinds and, for a merchant's sub
    /// account, the permission it needs. The admin is always admitted. An /api endpoint without a declaration is
    /// refused for everyone (and fails the authorization matrix test).
    /// </summary>
    public static TBuilder Requires<TBuilder>(this TBuilder builder, Callers callers, Permission? permission = null)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AccessRequirement(callers | Callers.Admin, permission));

    /// <summary>Declares an endpoint that checks a password: its attempts are limited per client address.</summary>
    public static TBuilder LimitsSignInAttempts<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(SignInAttempts.Instance);

    /// <summary>Declares an endpoint open without authentication (sign-in, demo principals).</summary>
    public static TBuilder Public<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AccessRequirement(Callers.Anonymous, null)).AllowAnonymous();
}

/// <summary>
/// Marks an endpoint that checks a password (API sign-in, the console's sign-in page): attempts are limited per
/// client address (<see cref="RateLimits"/>), decided from this metadata, never from the request's path.
/// </summary>
public sealed class SignInAttempts
{
    public static readonly SignInAttempts Instance = new();

    private SignInAttempts()
    {
    }
}

/// <summary>
/// Marks a web console page (Razor Pages, ADR 0015): a caller the page's <see cref="AccessRequirement"/> does not
/// admit is shown the console's "not found" page instead of a problem document.
/// </summary>
public sealed class ConsoleEndpoint
{
    public static readonly ConsoleEndpoint Instance = new();

    private ConsoleEndpoint()
    {
    }
}

/// <summary>The console page shown to a caller a console page does not admit (404, the "not found" notice).</summary>
public sealed class ConsoleRefusalPage
{
    public static readonly ConsoleRefusalPage Instance = new();

    private ConsoleRefusalPage()
    {
    }
}

/// <summary>
/// Enforces each endpoint's <see cref="AccessRequirement"/> after authentication and before the handler reads the
/// body. Every decision comes from the metadata of the endpoint routing matched, never from the request's path, so
/// no spelling of a path (case, percent-encoding, dot segments, doubled slashes) reaches a handler another way.
/// Deny by default: an endpoint of the application without a declaration is refused for everyone. A caller of a
/// kind the endpoint does not admit, or a sub account lacking the permission, gets 403 and nothing runs. Also the
/// CSRF rule: an unsafe request authenticated by the API's session cookie (<see cref="CookieScheme"/>) must carry
/// the <see cref="CsrfHeader"/> header, which a cross-site form cannot send.
/// </summary>
public sealed class AccessGate(RequestDelegate next, EndpointDataSource endpoints)
{
    public const string CsrfHeader = "X-Bindery-Csrf";

    /// <summary>The API's session-cookie scheme (password sign-in); its unsafe requests need <see cref="CsrfHeader"/>.</summary>
    public const string CookieScheme = Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationDefaults.AuthenticationScheme;

    private Endpoint? consoleRefusal;

    public async Task InvokeAsync(HttpContext http)
    {
        var endpoint = http.GetEndpoint();
        // No endpoint: routing found none (the status-code page answers 404). A non-route endpoint is the router's own
        // rejection (405 wrong method): it runs no application code. Every endpoint the application maps is a route
        // endpoint, and the access tests require a declaration on each of them.
        if (endpoint is not RouteEndpoint)
        {
            await next(http);
            return;
        }
        var requirement = endpoint.Metadata.GetMetadata<AccessRequirement>();
        if (requirement is null)
        {
            // Fail closed: an endpoint that declares nothing is callable by nobody.
            await Problems.Write(http, Problems.Forbidden(Lang.Of(http), "This endpoint declares no access requirement; nobody may call it.", "该端点未声明访问要求，任何人都不能调用。"));
            return;
        }
        if (requirement.Callers.HasFlag(Callers.Anonymous))
        {
            await next(http);
            return;
        }
        if (http.User.Identity?.IsAuthenticated != true || PrincipalClaims.Read(http.User) is not { } principal)
        {
            // The authorization middleware has already challenged unauthenticated callers; this is a safety net.
            await Problems.Write(http, Problems.Unauthorized(Lang.Of(http)));
            return;
        }
        if (!IsSafe(http.Request.Method) && AuthenticatedByCookie(http.User) && string.IsNullOrEmpty(http.Request.Headers[CsrfHeader]))
        {
            await Problems.Write(http, Problems.Make(403, "csrf_header_missing", Lang.Of(http), Problems.Say(Lang.Of(http),
                $"A request signed in by the session cookie that changes something must carry the {CsrfHeader} header.",
                $"使用会话 Cookie 登录且会修改数据的请求必须带有 {CsrfHeader} 请求头。")));
            return;
        }
        if (!requirement.Admits(principal))
        {
            if (endpoint.Metadata.GetMetadata<ConsoleEndpoint>() is not null && ConsoleRefusal() is { } page)
            {
                // A console page the person may not use looks like one that does not exist (404), as the pages do.
                http.SetEndpoint(page);
                http.Request.RouteValues.Clear();
                await next(http);
                return;
            }
            var refused = principal.IsSub && requirement.Permission is { } p && requirement.Callers.HasFlag(Callers.Merchant)
                ? Problems.Forbidden(Lang.Of(http), $"This sub account lacks the permission {PermissionNames.Wire(p)}.", $"子账号缺少权限 {PermissionNames.Wire(p)}。")
                : Problems.Forbidden(Lang.Of(http));
            await Problems.Write(http, refused);
            return;
        }
        await next(http);
    }

    /// <summary>GET, HEAD, OPTIONS and TRACE change nothing; every other method (known or not) is unsafe.</summary>
    public static bool IsSafe(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method);

    /// <summary>Whether the scheme that authenticated the caller is the API's session cookie (not a bearer token).</summary>
    public static bool AuthenticatedByCookie(System.Security.Claims.ClaimsPrincipal user) =>
        user.Identities.Any(i => i.IsAuthenticated && string.Equals(i.AuthenticationType, CookieScheme, StringComparison.Ordinal));

    private Endpoint? ConsoleRefusal() =>
        consoleRefusal ??= endpoints.Endpoints.FirstOrDefault(e => e.Metadata.GetMetadata<ConsoleRefusalPage>() is not null);
}
