using Bindery.Server.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Bindery.Server.Pages.Home;

/// <summary>The console's entry: each principal lands on its own desk.</summary>
public sealed class IndexModel : ConsolePage
{
    public IActionResult OnGet() => Me!.Kind switch
    {
        PrincipalKind.Merchant => Redirect($"/console/shops/{Me.ShopId}"),
        PrincipalKind.Creator => Redirect($"/console/accounts/{Me.AccountId}"),
        PrincipalKind.Support => Redirect("/console/support"),
        _ => Redirect("/console/staff/review"),
    };
}
