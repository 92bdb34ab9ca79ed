using System.Reflection;
using Bindery.Domain;
using Bindery.Server.Core;
using Bindery.Server.Http;
using Bindery.Server.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Bindery.Server.Tests;

/// <summary>
/// Commands and queries answer with a typed result and never a status code; the one mapper at the HTTP edge gives
/// each kind of result, and each refusal code, its status and problem+json.
/// </summary>
public sealed class ResultMappingTests : IDisposable
{
    private readonly BinderyFactory factory = new();

    public void Dispose() => factory.Dispose();

    private static readonly Principal Merchant = new(PrincipalKind.Merchant, "shop-a", null, "t");

    [Fact]
    public void No_endpoint_hands_a_core_result_to_the_framework_unmapped()
    {
        // A handler returning Result itself would be written as a JSON object with status 200, whatever it says.
        factory.StartServer();
        var unmapped = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (e.DisplayName, Method: e.Metadata.GetMetadata<MethodInfo>()))
            .Where(e => e.Method is not null && IsResult(e.Method.ReturnType))
            .Select(e => e.DisplayName)
            .ToList();
        Assert.True(unmapped.Count == 0, "endpoints returning a core Result without ToHttp(): " + string.Join(", ", unmapped));
    }

    private static bool IsResult(Type type) =>
        typeof(Result).IsAssignableFrom(type)
        || (type.IsGenericType && type.GetGenericArguments().Any(IsResult));

    [Fact]
    public void Each_kind_of_result_has_one_status()
    {
        Assert.Equal(200, Render(Result.Ok(new { a = 1 })).Status);
        Assert.Equal(201, Render(Result.Created(new { a = 1 }, "/x")).Status);
        Assert.Equal("/x", Render(Result.Created(new { a = 1 }, "/x")).Location);
        Assert.Equal(204, Render(Result.Done).Status);
        Assert.Equal(404, Render(Result.NotFound("shop")).Status);
        Assert.Equal(403, Render(Result.Forbidden()).Status);
        Assert.Equal(400, Render(Result.Invalid("field", "is required")).Status);
        Assert.Equal(409, Render(Result.Conflict("a", "乙")).Status);
        Assert.Equal(409, Render(Result.Refused("delegation_exists")).Status);
        Assert.Equal(409, Render(Result.Denied(Decision.Denied([new Reason(RuleCatalog.ShopStatus.Id, "shop_not_normal", null, null)]))).Status);
    }

    [Theory]
    [InlineData("sign_in_failed", 401)]
    [InlineData("wrong_code", 422)]
    [InlineData("idempotency_key_reused", 422)]
    [InlineData("login_locked", 423)]
    [InlineData("change_locked", 423)]
    [InlineData("evidence_too_large", 413)]
    [InlineData("evidence_type_not_allowed", 415)]
    [InlineData("code_sender_unavailable", 503)]
    [InlineData("write_contention", 503)]
    [InlineData("use_lifecycle_endpoint", 409)]
    public void A_refusal_code_has_its_status_at_the_edge_only(string code, int status)
    {
        var body = (ProblemBody)Render(Result.Refused(code)).Body!;
        Assert.Equal(status, body.Status);
        Assert.Equal(code, body.Code);
    }

    [Fact]
    public void A_refusal_is_worded_in_the_callers_language_and_names_its_rules()
    {
        var refusal = new RefusedResult("no_delegation", new Say("No authorization.", "未获授权。")) { RuleIds = [RuleCatalog.SubAccountPermissions.Id] };
        var en = (ProblemBody)ResultHttp.Render(refusal, Language.En, Merchant).Body!;
        var zh = (ProblemBody)ResultHttp.Render(refusal, Language.ZhCn, Merchant).Body!;
        Assert.Equal("No authorization.", en.Detail);
        Assert.Equal("未获授权。", zh.Detail);
        Assert.Equal([RuleCatalog.SubAccountPermissions.Id], en.Rules);
        Assert.Equal("未找到该店铺。", ((ProblemBody)ResultHttp.Render(Result.NotFound("shop"), Language.ZhCn, Merchant).Body!).Detail);
    }

    private static Outcome Render(Result result) => ResultHttp.Render(result, Language.En, Merchant);
}
