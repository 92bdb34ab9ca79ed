using Bindery.Domain;
using Bindery.Server.Features.Admin;
using Bindery.Server.Http;
using Bindery.Server.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Bindery.Server.Pages.DemoClock;

/// <summary>
/// the console's clock buttons run the API's AdvanceClock command. In demo mode anyone signed in may press
/// them (the demo admin token is public there anyway) and the move is recorded as the admin's; in test mode only
/// the admin may. The route does not act in production.
/// </summary>
public sealed class ClockModel(AdjustableClock clock, WritePipeline pipeline) : ConsolePage
{
    private static readonly Dictionary<string, TimeSpan> Steps = new(StringComparer.Ordinal)
    {
        ["PT1H"] = TimeSpan.FromHours(1), ["P1D"] = TimeSpan.FromDays(1), ["P7D"] = TimeSpan.FromDays(7),
    };

    public IActionResult OnGet() => Redirect("/console");

    public async Task<IActionResult> OnPostAsync(string? by, string? returnUrl)
    {
        var back = ConsoleSetup.IsLocal(returnUrl) ? returnUrl! : "/console";
        if (!Options.ClockIsMovable || by is null || !Steps.TryGetValue(by, out var step))
        {
            return NotVisible();
        }
        var actor = HttpContext.Actor();
        if (Options.Mode == RunMode.Demo && !actor.Principal.IsAdmin)
        {
            actor = actor with { Principal = new Principal(PrincipalKind.Admin, null, null, "console-demo-clock") };
        }
        var outcome = await pipeline.Execute(new AdvanceClock(step, clock), actor, null, Ct);
        if (!outcome.IsSuccess)
        {
            Problem = Explain(outcome);
            return Page();
        }
        await pipeline.SettleIfDue(Ct);
        Flash = string.Format(System.Globalization.CultureInfo.InvariantCulture, T["clock.moved"], At(clock.GetUtcNow()));
        return LocalRedirect(back);
    }
}
