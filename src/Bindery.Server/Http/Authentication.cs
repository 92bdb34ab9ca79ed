using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Bindery.Server.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Bindery.Server.Http;

/// <summary>
/// Bearer tokens: the configured admin token, a minted token (looked up by hash, cached briefly), or — when an
/// external issuer is configured — a JWT from it, validated by issuer, audience, signing key and lifetime.
/// </summary>
public sealed class TokenAuthHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<BinderyOptions> bindery,
    PrincipalResolver resolver,
    ExternalJwt jwt) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }
        var token = header["Bearer ".Length..].Trim();
        if (token.Length == 0)
        {
            return AuthenticateResult.Fail("empty bearer token");
        }
        var admin = bindery.Value.AdminToken;
        if (admin is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(admin)))
        {
            return Success(new Principal(PrincipalKind.Admin, null, null, "config"));
        }
        var principal = jwt.Enabled && ExternalJwt.LooksLikeJwt(token)
            ? await jwt.Validate(token, Context.RequestAborted)
            : await resolver.FromToken(token, Context.RequestAborted);
        return principal is null ? AuthenticateResult.Fail("unknown, expired or revoked token") : Success(principal);
    }

    private AuthenticateResult Success(Principal p) =>
        AuthenticateResult.Success(new AuthenticationTicket(PrincipalClaims.Identity(p, SchemeName), SchemeName));

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        Problems.Write(Context, Problems.Unauthorized(Lang.Of(Context)));

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.Write(Context, Problems.Forbidden(Lang.Of(Context)));
}

/// <summary>
/// JWT bearer tokens from an external OpenID Connect issuer (Bindery:Jwt). Claims map to a principal: the role claim
/// (admin, reviewer, support, merchant, creator or sub), the shop claim (merchant, sub), the account claim (creator,
/// sub) and the user claim (staff name in history). Lifetime is checked against the service clock.
/// </summary>
public sealed class ExternalJwt(IOptions<BinderyOptions> bindery, PrincipalResolver resolver, TimeProvider clock, ILogger<ExternalJwt> log)
{
    private readonly JsonWebTokenHandler handler = new() { MapInboundClaims = false };
    private readonly Lazy<TokenValidationParameters?> parameters = new(() => Build(bindery.Value.Jwt, clock));

    private JwtOptions Options => bindery.Value.Jwt;

    public bool Enabled => Options.Enabled;

    public static bool LooksLikeJwt(string token) => token.Count(c => c == '.') == 2 && !token.StartsWith("bdy_", StringComparison.Ordinal);

    public async Task<Principal?> Validate(string token, CancellationToken ct)
    {
        if (parameters.Value is not { } p)
        {
            return null;
        }
        var result = await handler.ValidateTokenAsync(token, p);
        if (!result.IsValid)
        {
            log.LogInformation("external JWT refused: {Reason}", result.Exception?.GetType().Name ?? "invalid");
            return null;
        }
        string? Claim(string type) => result.ClaimsIdentity.FindFirst(type)?.Value;
        var role = Claim(Options.RoleClaim);
        var user = Claim(Options.UserClaim);
        if (role is null || string.IsNullOrWhiteSpace(user))
        {
            return null;
        }
        DateTimeOffset? expires = result.SecurityToken is JsonWebToken j && j.ValidTo > DateTime.MinValue
            ? new DateTimeOffset(DateTime.SpecifyKind(j.ValidTo, DateTimeKind.Utc)) : null;
        return await resolver.FromClaims(Tokens.Hash(token), role, Claim(Options.ShopClaim), Claim(Options.AccountClaim), "jwt:" + user, expires, ct);
    }

    private static TokenValidationParameters? Build(JwtOptions o, TimeProvider clock)
    {
        if (!o.Enabled || string.IsNullOrWhiteSpace(o.SigningKey) || string.IsNullOrWhiteSpace(o.Audience))
        {
            return null;
        }
        return new TokenValidationParameters
        {
            ValidIssuer = o.Issuer,
            ValidAudience = o.Audience,
            IssuerSigningKey = SigningKey(o.SigningKey),
            ValidateIssuerSigningKey = true,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            // Lifetime against the service clock (moved in tests and demos), with a small skew.
            LifetimeValidator = (notBefore, expires, _, _) =>
            {
                var now = clock.GetUtcNow().UtcDateTime;
                var skew = TimeSpan.FromMinutes(1);
                return expires is { } e && now < e + skew && (notBefore is not { } nb || now >= nb - skew);
            },
        };
    }

    /// <summary>A PEM public key (RSA or EC), or a base64 shared secret (HMAC, at least 32 bytes).</summary>
    public static SecurityKey SigningKey(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.StartsWith("-----BEGIN", StringComparison.Ordinal))
        {
            if (TryEc(trimmed) is { } ec)
            {
                return new ECDsaSecurityKey(ec);
            }
            var rsa = RSA.Create();
            rsa.ImportFromPem(trimmed);
            return new RsaSecurityKey(rsa);
        }
        var bytes = Convert.FromBase64String(trimmed);
        if (bytes.Length < 32)
        {
            throw new InvalidOperationException("Bindery:Jwt:SigningKey: a shared secret must be at least 32 bytes (base64).");
        }
        return new SymmetricSecurityKey(bytes);
    }

    private static ECDsa? TryEc(string pem)
    {
        try
        {
            var ec = ECDsa.Create();
            ec.ImportFromPem(pem);
            return ec;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            return null;
        }
    }
}

public static class AuthenticationSetup
{
    /// <summary>The API's default scheme: Bearer when an Authorization header is present, else the session cookie.</summary>
    public const string ApiScheme = "BearerOrCookie";

    public static IServiceCollection AddBinderyAuthentication(this IServiceCollection services, BinderyOptions options)
    {
        services.AddSingleton<PrincipalResolver>();
        services.AddSingleton<ExternalJwt>();
        services.AddAuthentication(ApiScheme)
            .AddPolicyScheme(ApiScheme, "Bearer token or session cookie", o =>
                o.ForwardDefaultSelector = http => http.Request.Headers.ContainsKey("Authorization")
                    ? TokenAuthHandler.SchemeName
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, TokenAuthHandler>(TokenAuthHandler.SchemeName, null)
            .AddCookie(CookieAuthenticationDefaults.AuthenticationScheme, o =>
            {
                o.Cookie.Name = "bindery_session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = options.SignIn.SessionLifetime;
                o.SlidingExpiration = true;
                o.Events.OnRedirectToLogin = ctx => Answer(ctx.HttpContext, 401);
                o.Events.OnRedirectToAccessDenied = ctx => Answer(ctx.HttpContext, 403);
                o.Events.OnValidatePrincipal = Revalidate;
            });
        return services;
    }

    /// <summary>
    /// A caller of this scheme (the API, /metrics) gets problem+json, never a redirect to a sign-in page: the web console
    /// has a cookie scheme of its own with its own sign-in page (ADR 0015).
    /// </summary>
    private static Task Answer(HttpContext http, int status) =>
        Problems.Write(http, status == 401 ? Problems.Unauthorized(Lang.Of(http)) : Problems.Forbidden(Lang.Of(http)));

    /// <summary>
    /// A session made by password sign-in names its login: each request re-reads the login's principal (cached like
    /// tokens), so a disabled login or a revoked delegation ends the session too.
    /// </summary>
    private static async Task Revalidate(CookieValidatePrincipalContext ctx)
    {
        var loginId = ctx.Principal?.FindFirstValue(PrincipalClaims.Login);
        if (loginId is null)
        {
            return;
        }
        var resolver = ctx.HttpContext.RequestServices.GetRequiredService<PrincipalResolver>();
        var principal = await resolver.FromLogin(loginId, ctx.HttpContext.RequestAborted);
        if (principal is null)
        {
            ctx.RejectPrincipal();
            await ctx.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }
        ctx.ReplacePrincipal(PrincipalClaims.Identity(principal, CookieAuthenticationDefaults.AuthenticationScheme, loginId));
    }
}
