using Bindery.Domain;
using Bindery.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.Accounts;

public sealed record AccountPatch(string? Status, string? RegistrationCountry, string? BirthDate,
    string? Type = null, bool? RealNameVerified = null, string? Phone = null, bool? HasFormalPaymentAccount = null, string? CertifiedUntil = null);

/// <summary>
/// Staff change an account's status or correct its data (admin, or a support agent correcting data, TS-E7), recorded
/// in history with before/after. certifiedUntil records an enterprise certification or its annual renewal (DY-D1, DY-D3).
/// "deleting" belongs to the account's deletion (DY-L2): it is reached only by POST /api/v1/accounts/{id}/deletion,
/// which sets deletedAt and bindingsEndAt and so ends the bindings, and nothing leaves it; a plain edit into or out of
/// it is refused with 409 <c>use_lifecycle_endpoint</c>.
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

    public async Task<Result> Run(WriteContext ctx, CancellationToken ct)
    {
        if (!ctx.Actor.Principal.Is(PrincipalKind.Support))
        {
            return Result.Forbidden();
        }
        var account = await ctx.Db.Accounts.SingleOrDefaultAsync(a => a.Id == Id, ct);
        if (account is null)
        {
            return Result.NotFound("account");
        }
        if (Status is { } status && status != account.Status && (status == AccountStatus.Deleting || account.Status == AccountStatus.Deleting))
        {
            var endpoint = $"POST /api/v1/accounts/{account.Id}/deletion";
            return account.Status == AccountStatus.Deleting
                ? Result.UseLifecycleEndpoint(endpoint,
                    $"The account was deleted through {endpoint}; its bindings end at bindingsEndAt and a deletion is not withdrawn by editing its status (DY-L2).",
                    $"该账号已通过 {endpoint} 注销，其绑定将于 bindingsEndAt 结束；注销不能通过编辑状态撤回（DY-L2）。")
                : Result.UseLifecycleEndpoint(endpoint,
                    $"An account becomes deleting only through {endpoint}, which sets deletedAt and bindingsEndAt so that its bindings end (DY-L2).",
                    $"账号只能通过 {endpoint} 进入注销中状态，该接口会设置 deletedAt 与 bindingsEndAt，使其绑定按期结束（DY-L2）。");
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
        ctx.Emit(EventTypes.AccountUpdated, Id, null, Id, after);
        return Result.Ok(after);
    }
}
