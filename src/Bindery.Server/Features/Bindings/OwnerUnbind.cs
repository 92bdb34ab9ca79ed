using Bindery.Domain;
using Bindery.Server.Infrastructure;

namespace Bindery.Server.Features.Bindings;

public sealed record OwnerUnbindInput(string? ConfirmationToken);

/// <summary>The first answer: what will happen, and the token that confirms it.</summary>
public sealed record ConfirmationView(bool ConfirmationRequired, string ConfirmationToken, DateTimeOffset ExpiresAt, string BindingId, string ShopId,
    string Message, IReadOnlyDictionary<string, string> Messages);

/// <summary>
/// DY-B3: the account owner undoes a showcase binding from binding management. The first call only explains and
/// hands out a confirmation token; the second call, carrying it, ends the binding at once. A single accidental
/// call therefore never unbinds.
/// </summary>
public sealed record OwnerUnbind(string BindingId, string? ConfirmationToken,
    [property: System.Text.Json.Serialization.JsonIgnore] Confirmations Confirmations) : IWriteCommand
{
    public const string Purpose = "owner_unbind";

    public async Task<Result> Run(WriteContext ctx, CancellationToken ct)
    {
        var principal = ctx.Actor.Principal;
        var binding = await Lookup.Binding(ctx.Db, principal, BindingId, track: true, ct);
        if (binding is null)
        {
            return Result.NotFound("binding");
        }
        if (!principal.ActsForAccount(binding.AccountId))
        {
            return Result.Forbidden("Only the account owner unbinds a showcase binding.", "只有账号本人才能解除橱窗绑定。");
        }
        var (policy, decision) = await RuleInputs.Decide(ctx, BindingAction.Unbind, binding, null, ct);
        if (!decision.IsAllowed)
        {
            return ctx.Denied(decision);
        }
        if (ConfirmationToken is null)
        {
            var expires = ctx.Now + Confirmations.Lifetime;
            var en = $"Confirm to unbind your account from shop {binding.ShopId}: its products leave your showcase at once. The shop's data stays.";
            var zh = $"确认后，你的账号将立即与店铺 {binding.ShopId} 解除绑定，其商品将从你的橱窗移除；店铺数据不会被删除。";
            return Result.Ok(new ConfirmationView(true, Confirmations.Issue(Purpose, binding.Id, ctx.Actor.Name, expires), expires, binding.Id, binding.ShopId,
                ctx.Lang == Language.ZhCn ? zh : en,
                new Dictionary<string, string>(StringComparer.Ordinal) { ["en"] = en, ["zh-CN"] = zh }));
        }
        if (!Confirmations.Verify(ConfirmationToken, Purpose, binding.Id, ctx.Actor.Name, ctx.Now))
        {
            return Result.Refused("confirmation_invalid", "The confirmation token is not valid for this binding and caller, or has expired; call again without a token to get a new one.", "确认凭证对该绑定和调用方无效或已过期；请不带凭证再次调用以获取新的凭证。");
        }
        BindingEnds.End(ctx, binding, ctx.Now, ctx.Actor.Name, "owner_unbound");
        return Result.Ok(BindingView.From(binding, policy));
    }
}
