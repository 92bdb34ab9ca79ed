using System.Globalization;
using Bindery.Persistence;
using Bindery.Server.Features.History;
using Bindery.Server.Http;
using Bindery.Server.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Bindery.Server.Pages.Merchant;

/// <summary>X-1: the shop's history with filters (kind of change, account, date range) and the same CSV as the API.</summary>
public sealed class HistoryModel(BinderyDb db) : ConsolePage
{
    public ShopRow Shop { get; private set; } = null!;

    [BindProperty(SupportsGet = true)] public string? Action { get; set; }
    [BindProperty(SupportsGet = true)] public string? Account { get; set; }
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }

    public IReadOnlyList<HistoryView> Rows { get; private set; } = [];
    public IReadOnlyList<string> Actions { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string shopId) => await Load(shopId) ? Page() : NotVisible();

    public async Task<IActionResult> OnGetCsvAsync(string shopId)
    {
        if (!await Load(shopId) || FieldErrors.Count > 0)
        {
            return Missing ? NotVisible() : Page();
        }
        var name = $"history-{shopId}.csv";
        return File(System.Text.Encoding.UTF8.GetBytes(HistoryQuery.Csv(Rows)), "text/csv; charset=utf-8", name);
    }

    private async Task<bool> Load(string shopId)
    {
        await HttpContext.Settle(Ct);
        var shop = await ShopFor(db, shopId, Permission.HistoryExport);
        if (shop is null)
        {
            Missing = true;
            return false;
        }
        Shop = shop;
        var from = Date("from", From);
        var to = Date("to", To);
        var all = new List<HistoryView>();
        long after = 0;
        while (true)
        {
            var page = await HistoryQuery.Load(db, shopId, null, after, HistoryQuery.MaxLimit, Ct);
            all.AddRange(page.Items);
            if (page.Next is not { } next)
            {
                break;
            }
            after = next;
        }
        Actions = all.Select(h => h.Action).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var account = Account?.Trim().TrimStart('@');
        Rows = all.Where(h => (string.IsNullOrEmpty(Action) || h.Action == Action)
                && (string.IsNullOrEmpty(account) || string.Equals(h.AccountId, account, StringComparison.Ordinal))
                && (from is null || h.At >= from) && (to is null || h.At < to.Value.AddDays(1)))
            .ToArray();
        return true;
    }

    private DateTimeOffset? Date(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            return new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }
        FieldErrors[field] = T["history.bad-date"];
        return null;
    }

    public string CsvLink => Request.Path + "?handler=Csv" + string.Concat(
        new[] { ("Action", Action), ("Account", Account), ("From", From), ("To", To) }
            .Where(p => !string.IsNullOrEmpty(p.Item2)).Select(p => "&" + p.Item1 + "=" + Uri.EscapeDataString(p.Item2!)));
}
