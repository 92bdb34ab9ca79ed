using System.Text.RegularExpressions;
using Bindery.Domain;
using Bindery.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.Accounts;

public sealed record AccountInput(string? Id, string? Handle, string? Origin, string? RegistrationCountry, string? BirthDate, string? Status,
    string? Type = null, bool? RealNameVerified = null, string? Phone = null, bool? HasFormalPaymentAccount = null, string? CertifiedUntil = null);

/// <summary>
/// Admin registers a creator account (its id may be chosen by the caller). One registered as "deleting" is deleted as
/// of its registration (DY-L2): deletedAt and bindingsEndAt are that instant (it has no bindings to wait for).
/// </summary>
public sealed partial record CreateAccount(string? Id, string Handle, AccountOrigin Origin, string RegistrationCountry, DateOnly BirthDate, AccountStatus Status,
    AccountType Type = AccountType.Personal, bool RealNameVerified = false, string? Phone = null, bool HasFormalPaymentAccount = false,
    DateTimeOffset? CertifiedUntil = null)
    : IWriteCommand
{
    [GeneratedRegex("^@?[a-z0-9._]{2,30}$", RegexOptions.CultureInvariant)]
    private static partial Regex HandlePattern();

    [GeneratedRegex(@"^\+?[0-9]{6,15}$", RegexOptions.CultureInvariant)]
    public static partial Regex PhonePattern();

    public static string NormalizeHandle(string handle) => Lookup.NormalizeHandle(handle);

    public static (CreateAccount? Command, FieldErrors Errors) From(AccountInput input, DateTimeOffset now)
    {
        var e = new FieldErrors();
        var id = e.Id("id", input.Id, required: false);
        if (input.Handle is null || !HandlePattern().IsMatch(input.Handle.Trim().ToLowerInvariant()))
        {
            e.Add("handle", "is required: 2 to 30 of a-z, 0-9, '.' or '_' (a leading @ is allowed)");
        }
        var origin = e.Enum<AccountOrigin>("origin", input.Origin, required: false, AccountOrigin.TikTok);
        var country = e.Country("registrationCountry", input.RegistrationCountry, required: true);
        var birth = e.Date("birthDate", input.BirthDate, required: true);
        if (birth is { } b && b > DateOnly.FromDateTime(now.UtcDateTime))
        {
            e.Add("birthDate", "cannot be in the future");
        }
        var status = e.Enum<AccountStatus>("status", input.Status, required: false, AccountStatus.Normal);
        var type = e.Enum<AccountType>("type", input.Type, required: false, AccountType.Personal);
        if (input.Phone is not null && !PhonePattern().IsMatch(input.Phone))
        {
            e.Add("phone", "must be 6 to 15 digits, optionally after a +");
        }
        var certifiedUntil = e.Instant("certifiedUntil", input.CertifiedUntil);
        return e.Any
            ? (null, e)
            : (new CreateAccount(id, NormalizeHandle(input.Handle!), origin!.Value, country!, birth!.Value, status!.Value,
                type!.Value, input.RealNameVerified ?? false, input.Phone, input.HasFormalPaymentAccount ?? false, certifiedUntil), e);
    }

    public async Task<Result> Run(WriteContext ctx, CancellationToken ct)
    {
        // Generated here, not when the request is read, so that a retry with the same Idempotency-Key is the same command (Z-3).
        var id = Id ?? Ids.New("acc");
        if (!ctx.Actor.Principal.IsAdmin)
        {
            return Result.Forbidden();
        }
        if (await ctx.Db.Accounts.AnyAsync(a => a.Id == id, ct))
        {
            return Result.Conflict($"An account with id '{id}' already exists.", $"ID 为 '{id}' 的账号已存在。");
        }
        if (await ctx.Db.Accounts.AnyAsync(a => a.Handle == Handle, ct))
        {
            return Result.Conflict($"The handle '@{Handle}' is taken.", $"账号名 '@{Handle}' 已被占用。");
        }
        return Stage(ctx, ToRow(id, ctx.Now));
    }

    /// <summary>The row this command creates under <paramref name="id"/> (also what a bulk import compares with an existing row, Z-3).</summary>
    public AccountRow ToRow(string id, DateTimeOffset now) => new()
    {
        Id = id, Handle = Handle, Origin = Origin, RegistrationCountry = RegistrationCountry, BirthDate = BirthDate, Status = Status,
        Type = Type, RealNameVerified = RealNameVerified, Phone = Phone, HasFormalPaymentAccount = HasFormalPaymentAccount,
        CertifiedUntil = CertifiedUntil, CreatedAt = now,
        DeletedAt = Status == AccountStatus.Deleting ? now : null,
        BindingsEndAt = Status == AccountStatus.Deleting ? now : null,
    };

    /// <summary>Adds the row with its history and event, once the id and handle are known to be free (here or by a bulk import, Z-3).</summary>
    public static Result Stage(WriteContext ctx, AccountRow row)
    {
        ctx.Db.Accounts.Add(row);
        var view = AccountView.From(row);
        ctx.Record("account", row.Id, "account.created", null, row.Id, null, view);
        ctx.Emit(EventTypes.AccountCreated, row.Id, null, row.Id, view);
        return Result.Created(view, $"/api/v1/accounts/{row.Id}");
    }
}
