using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Features.Accounts;
using Bindery.Server.Features.Applications;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.Bulk;

/// <summary>
/// Z-3: imports creator accounts (admin). Each item is validated by <see cref="CreateAccount.From"/> and staged by
/// <see cref="CreateAccount.Stage"/> (row, history, event); what <see cref="CreateAccount.Run"/> checks one query at a
/// time (id free, handle free) is checked here against the batch's existing ids and handles loaded in two queries, and
/// everything is written once, by <see cref="StagedInserts"/>. An item whose id, or handle, is already stored with the same data
/// is <c>exists</c>, so re-running an import creates nothing twice; the same id or handle with other data is a conflict.
/// </summary>
public sealed record BulkCreateAccounts(IReadOnlyList<AccountInput?> Items) : IWriteCommand
{
    public async Task<Result> Run(WriteContext ctx, CancellationToken ct)
    {
        if (!ctx.Actor.Principal.IsAdmin)
        {
            return Result.Forbidden();
        }
        var parsed = Items.Select(i => i is null ? default((CreateAccount? Command, FieldErrors? Errors)) : CreateAccount.From(i, ctx.Now)).ToArray();
        var ids = parsed.Select(p => p.Command?.Id).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var handles = parsed.Select(p => p.Command?.Handle).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        // Earlier items of this request join these maps as they are staged, so later items see them.
        var byId = await ctx.Db.Accounts.AsNoTracking().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, StringComparer.Ordinal, ct);
        var byHandle = await ctx.Db.Accounts.AsNoTracking().Where(a => handles.Contains(a.Handle)).ToDictionaryAsync(a => a.Handle, StringComparer.Ordinal, ct);

        var results = new List<BulkItemResult>(Items.Count);
        for (var i = 0; i < parsed.Length; i++)
        {
            var (command, errors) = parsed[i];
            if (command is null)
            {
                results.Add(BulkItemResult.Fail(i, errors is null ? BulkLimits.MissingItem : errors.ToResult()));
                continue;
            }
            if (command.Id is { } id && byId.TryGetValue(id, out var sameId))
            {
                results.Add(Existing(i, ctx, command, sameId, $"An account with id '{id}' already exists", $"ID 为 '{id}' 的账号已存在"));
                continue;
            }
            if (byHandle.TryGetValue(command.Handle, out var sameHandle))
            {
                results.Add(command.Id is null
                    ? Existing(i, ctx, command, sameHandle, $"An account with handle '@{command.Handle}' already exists", $"账号名为 '@{command.Handle}' 的账号已存在")
                    : BulkItemResult.Fail(i, Result.Conflict(
                        $"The handle '@{command.Handle}' is taken by account '{sameHandle.Id}', not '{command.Id}'.",
                        $"账号名 '@{command.Handle}' 已被账号 '{sameHandle.Id}' 使用，而不是 '{command.Id}'。")));
                continue;
            }
            var row = command.ToRow(command.Id ?? Ids.New("acc"), ctx.Now);
            CreateAccount.Stage(ctx, row);
            byId[row.Id] = row;
            byHandle[row.Handle] = row;
            results.Add(new BulkItemResult(i, BulkItemResult.Created, row.Id));
        }
        // Saved once for the whole request, in the pipeline's transaction (committed with the idempotent answer).
        await StagedInserts.Flush(ctx.Db, ct);
        return Result.Ok(BulkResponse.Of(results));
    }

    private static BulkItemResult Existing(int index, WriteContext ctx, CreateAccount command, AccountRow stored, string what, string whatZh)
    {
        var differ = Differences(command.ToRow(stored.Id, stored.CreatedAt), stored);
        return differ.Count == 0
            ? new BulkItemResult(index, BulkItemResult.Exists, stored.Id)
            : BulkItemResult.Fail(index, Result.Conflict( $"{what} with different data ({string.Join(", ", differ)}).",
                $"{whatZh}，但数据不同（{string.Join("、", differ)}）。"));
    }

    /// <summary>The fields an import row sets that differ from the stored account.</summary>
    private static List<string> Differences(AccountRow wanted, AccountRow stored)
    {
        var differ = new List<string>();
        void Check(bool same, string field)
        {
            if (!same)
            {
                differ.Add(field);
            }
        }
        Check(string.Equals(wanted.Handle, stored.Handle, StringComparison.Ordinal), "handle");
        Check(wanted.Origin == stored.Origin, "origin");
        Check(string.Equals(wanted.RegistrationCountry, stored.RegistrationCountry, StringComparison.Ordinal), "registrationCountry");
        Check(wanted.BirthDate == stored.BirthDate, "birthDate");
        Check(wanted.Status == stored.Status, "status");
        Check(wanted.Type == stored.Type, "type");
        Check(wanted.RealNameVerified == stored.RealNameVerified, "realNameVerified");
        Check(string.Equals(wanted.Phone, stored.Phone, StringComparison.Ordinal), "phone");
        Check(wanted.HasFormalPaymentAccount == stored.HasFormalPaymentAccount, "hasFormalPaymentAccount");
        Check(wanted.CertifiedUntil == stored.CertifiedUntil, "certifiedUntil");
        return differ;
    }
}
