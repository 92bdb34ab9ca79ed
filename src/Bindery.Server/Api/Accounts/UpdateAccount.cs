using Bindery.Domain;
using Bindery.Server.Infrastructure;
using Bindery.Server.Reads;
using Bindery.Server.Writes;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Api.Accounts;

public sealed record AccountPatch(string? Status, string? RegistrationCountry, string? BirthDate,
    string? Type = null, bool? RealNameVerified = null, string? Phone = null, bool? HasFormalPaymentAccount = null, string? CertifiedUntil = null);

/// <summary>
/// Staff change an account's status or correct its data (admin, or a support agent correcting data, TS-E7), recorded
/// in history with before/after. certifiedUntil records an enterprise certification or its annual renewal (DY-D1, DY-D3).
/// </summary>
public sealed record UpdateAccount(string Id, AccountStatus? Status, string? RegistrationCountry, DateOnly? BirthDate,
    AccountType? Type = null, bool? RealNameVerified = null, string? Phone = null, bool? HasFormalPaymentAccount = null,
    DateTimeOffset? CertifiedUntil = null) : IWriteCommand
{
    public static (UpdateAccount? Command, FieldErrors Errors) From(string id, AccountPatch p, DateTimeOffset now)
    {
        var e = new FieldErrors();
        var status = e.Enum<AccountStatus>("status", p.Status, required: false);
        var country = e.Country("registrationCountry", p.RegistrationCountry, required: false);
        var birth = e.Date("birthDate", p.BirthDate, required: false);
        if (birth is { } b && b > DateOnly.FromDateTime(now.UtcDateTime))
        {
            e.Add("birthDate", "cannot be in the future");
        }
        var type = e.Enum<AccountType>("type", p.Type, required: false);
        if (p.Phone is not null && !CreateAccount.PhonePattern().IsMatch(p.Phone))
        {
            e.Add("phone", "must be 6 to 15 digits, optionally after a +");
        }
        var certifiedUntil = e.Instant("certifiedUntil", p.CertifiedUntil);
        return e.Any ? (null, e) : (new UpdateAccount(id, status, country, birth, type, p.RealNameVerified, p.Phone, p.HasFormalPaymentAccount, certifiedUntil), e);
    }

    public async Task<Outcome> Run(WriteContext ctx, CancellationToken ct)
    {
        if (!ctx.Actor.Principal.Is(PrincipalKind.Support))
        {
            return Outcome.Problem(Problems.Forbidden(ctx.Lang));
        }
        var account = await ctx.Db.Accounts.SingleOrDefaultAsync(a => a.Id == Id, ct);
        if (account is null)
        {
            return Outcome.Problem(Problems.NotFound(ctx.Lang, "account"));
        }
        var before = AccountView.From(account);
        account.Status = Status ?? account.Status;
        account.RegistrationCountry = RegistrationCountry ?? account.RegistrationCountry;
        account.BirthDate = BirthDate ?? account.BirthDate;
        account.Type = Type ?? account.Type;
        account.RealNameVerified = RealNameVerified ?? account.RealNameVerified;
        account.Phone = Phone ?? account.Phone;
        account.HasFormalPaymentAccount = HasFormalPaymentAccount ?? account.HasFormalPaymentAccount;
        account.CertifiedUntil = CertifiedUntil ?? account.CertifiedUntil;
        var after = AccountView.From(account);
        ctx.Record("account", Id, "account.updated", null, Id, before, after);
        ctx.Emit("account.updated", Id, null, Id, after);
        return Outcome.Ok(after);
    }
}
