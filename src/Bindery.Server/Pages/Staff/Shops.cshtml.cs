using Bindery.Persistence;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Pages.Staff;

/// <summary>Staff: every shop, each a link to its overview (the admin acts for every shop).</summary>
public sealed class ShopsModel(BinderyDb db) : ConsolePage
{
    public IReadOnlyList<ShopRow> Shops { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        if (Me is not { IsAdmin: true })
        {
            return NotVisible();
        }
        Shops = await db.Shops.AsNoTracking().OrderBy(s => s.Id).Take(1000).ToListAsync(Ct);
        return Page();
    }
}
