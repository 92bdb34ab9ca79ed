using System.Globalization;
using Bindery.Domain;
using Bindery.Server.Api;
using Bindery.Server.Infrastructure;
using Bindery.Server.Writes;
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
    public Language Lang => Infrastructure.Lang.Of(HttpContext);

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

    protected async Task<Outcome> Run(IWriteCommand command) => (Outcome)await HttpContext.Write(command, Ct);

    protected static TBody? Body<TBody>(IResult result) where TBody : class => result is Outcome { Body: TBody body } ? body : null;

    protected IActionResult NotVisible()
    {
        Missing = true;
        Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
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
