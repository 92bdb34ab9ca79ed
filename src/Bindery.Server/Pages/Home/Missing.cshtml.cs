using Microsoft.AspNetCore.Mvc;

namespace Bindery.Server.Pages.Home;

/// <summary>
/// The "not found" notice (404). The access gate shows it in place of a console page the signed-in person may not
/// open, so a page of another role or tenant looks exactly like one that does not exist.
/// </summary>
public sealed class MissingModel : ConsolePage
{
    public IActionResult OnGet() => NotVisible();

    public IActionResult OnPost() => NotVisible();
}
