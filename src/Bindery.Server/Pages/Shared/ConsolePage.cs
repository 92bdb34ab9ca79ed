using System.Globalization;
using Bindery.Domain;
using Bindery.Server.Features.Shops;
using Bindery.Server.Http;
using Bindery.Server.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Bindery.Server.Pages;

/// <summary>
/// What every console page shares: the person's language and catalog, the signed-in principal, the service clock,
/// and running a write command through the same pipeline as the API (HttpGlue.Write: same actor, same rules).
/// </summary>
public abstract class ConsolePage : PageModel
{
    public Language Lang => Http.Lang.Of(HttpContext);

    public Text T => Text.For(Lang);

    /// <summary>The signed-in principal (null on the sign-in page).</summary>
    public Principal? Me => User.Identity?.IsAuthenticated == true ? Principal.From(User) : null;

    public DateTimeOffset Now => HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();

    public BinderyOptions Options => HttpContext.RequestServices.GetRequiredService<IOptions<BinderyOptions>>().Value;

    /// <summary>A refusal or an error to show above the page's content (role="alert").</summary>
    public ProblemBody? Problem { get; set; }

    /// <summary>Set when the page is not visible to the principal: the page renders the not-found notice with 404.</summary>
    public bool Missing { get; set; }

    /// <summary>Field errors, each shown next to its input and announced.</summary>
    public Dictionary<string, string> FieldErrors { get; } = new(StringComparer.Ordinal);

    [TempData]
    public string? Flash { get; set; }

    protected CancellationToken Ct => HttpContext.RequestAborted;

    /// <summary>Runs a write command through the pipeline, as the API does (same actor, same rules, same Idempotency-Key handling).</summary>
    protected Task<Result> Run(IWriteCommand command) => HttpContext.Send(command, Ct);

    /// <summary>The signed-in person as a query's context: pages run the API's own queries, never its endpoint handlers.</summary>
    protected ReadContext Reader => HttpContext.Reader();

    /// <summary>A refusal in the person's language, as the API would word it, to show above the page.</summary>
    protected ProblemBody Explain(Result refusal) => ResultHttp.Problem(refusal, Lang, Me ?? Principal.Anonymous);

    /// <summary>
    /// The value of a query's result; otherwise null, and the page says why: nothing to see is the console's 404
    /// (<see cref="Missing"/>), any other refusal is shown above the content.
    /// </summary>
    protected TValue? Value<TValue>(Result result) where TValue : class
    {
        switch (result)
        {
            case ValueResult { Value: TValue value }:
                return value;
            case MissingResult:
                Missing = true;
                Response.StatusCode = StatusCodes.Status404NotFound;
                return null;
            default:
                Problem = Explain(result);
                return null;
        }
    }

    /// <summary>Set when the principal may see the shop but lacks the permission the page needs: the refusal shows, with 403.</summary>
    public bool Refused { get; private set; }

    protected IActionResult NotVisible()
    {
        Missing = true;
        Response.StatusCode = Refused ? StatusCodes.Status403Forbidden : StatusCodes.Status404NotFound;
        return Page();
    }

    /// <summary>Whether the signed-in principal may use a shop permission (a sub account only those it holds, DY-D4).</summary>
    public bool May(Permission permission) => Me?.May(permission) == true;

    /// <summary>
    /// The shop of a merchant page: for its merchant (main account, or a sub account holding <paramref name="permission"/>)
    /// and the admin; reviewers and support work from their own desks. A sub account without the permission is told
    /// which one it lacks (403) instead of meeting the API's refusal; anyone else finds nothing (404).
    /// </summary>
    protected async Task<Persistence.ShopRow?> ShopFor(Persistence.BinderyDb db, string shopId, Permission permission)
    {
        if (Me is not { } me || !(me.IsAdmin || me.Kind == PrincipalKind.Merchant))
        {
            return null;
        }
        var shop = await ShopQueries.Visible(Reader, shopId, Ct);
        if (shop is not null && !me.May(permission))
        {
            Refuse(permission);
            return null;
        }
        return shop;
    }

    /// <summary>The sub account lacks a permission: say which, in the person's language (403 problem).</summary>
    protected void Refuse(Permission permission)
    {
        Refused = true;
        Problem = Explain(new ForbiddenResult(new Say(Text.For(Language.En).F("access.needs", PermissionNames.Wire(permission)),
            Text.For(Language.ZhCn).F("access.needs", PermissionNames.Wire(permission)))));
    }

    /// <summary>After a successful write: a message for the next page, and back to where the person was (PRG).</summary>
    protected IActionResult Done(string message, string? to = null)
    {
        Flash = message;
        return Redirect(to ?? Request.Path + Request.QueryString);
    }

    public string At(DateTimeOffset? at) => at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "—";

    public string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Time left until an instant, by the service clock ("47 h 59 min left" / "剩余 47 小时 59 分钟").</summary>
    public string Left(DateTimeOffset due) => T.Left(due - Now);

    public string RoleName(string wire) => T["role." + wire];

    public string StateName(string wire) => T["state." + wire];
}
