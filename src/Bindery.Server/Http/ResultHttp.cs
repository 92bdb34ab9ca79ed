using Bindery.Domain;
using Bindery.Server.Features.Bulk;
using Bindery.Server.Infrastructure;

namespace Bindery.Server.Http;

/// <summary>
/// The one place where results become HTTP (ADR 0021): each kind of result, and each refusal code, has one status;
/// every refusal is problem+json in the caller's language. Commands and queries never choose a status code.
/// </summary>
public static class ResultHttp
{
    /// <summary>The status of each refusal code that is not 409 Conflict.</summary>
    private static readonly Dictionary<string, int> RefusalStatus = new(StringComparer.Ordinal)
    {
        ["sign_in_failed"] = 401,
        ["confirmation_invalid"] = 400,
        ["malformed_request"] = 400,
        ["too_many_items"] = 400,
        ["wrong_code"] = 422,
        ["idempotency_key_reused"] = 422,
        ["login_locked"] = 423,
        ["change_locked"] = 423,
        ["evidence_too_large"] = 413,
        ["evidence_type_not_allowed"] = 415,
        ["unsupported_media_type"] = 415,
        ["internal_error"] = 500,
        ["code_sender_unavailable"] = 503,
        ["write_contention"] = 503,
        ["overloaded"] = 503,
    };

    /// <summary>The status a refusal with <paramref name="code"/> is answered with (409 unless listed).</summary>
    public static int StatusOf(string code) => RefusalStatus.TryGetValue(code, out var status) ? status : 409;

    /// <summary>The result as an HTTP answer, rendered for the caller of the request it answers.</summary>
    public static IResult ToHttp(this Result result) => new Deferred(result);

    /// <summary>The result as the status, body and Location a caller in <paramref name="lang"/>, seen as <paramref name="viewer"/>, gets.</summary>
    public static Outcome Render(Result result, Language lang, Principal viewer) => result switch
    {
        ValueResult { Value: BulkResponse bulk } => Outcome.Ok(Rendered(bulk, lang, viewer)),
        ValueResult ok => Outcome.Ok(ok.Value),
        CreationResult created => Outcome.Created(created.Value, created.Location),
        DoneResult => new Outcome(204, null),
        ReplayedResult replay => new Outcome(replay.Answer.Code, new ReplayedBody(replay.Answer.Body), replay.Answer.Location),
        RefusedResult { RetryAfter: { } retry } => Outcome.Problem(Problem(result, lang, viewer)) with { RetryAfter = retry },
        _ => Outcome.Problem(Problem(result, lang, viewer)),
    };

    /// <summary>The problem+json body of a refusal.</summary>
    public static ProblemBody Problem(Result result, Language lang, Principal viewer) => result switch
    {
        DeniedResult denied => Refusal(new RefusedResult("rule_denied", null) { Decision = denied.Decision }, lang, viewer),
        MissingResult notFound => Problems.NotFound(lang, notFound.Thing),
        ForbiddenResult { Detail: { } detail } => Problems.Forbidden(lang, detail.En, detail.Zh),
        ForbiddenResult => Problems.Forbidden(lang),
        InvalidResult { Decision: { } decision } invalid => InvalidByRules(decision, invalid.DefaultField, lang, viewer),
        InvalidResult invalid => Problems.Validation(lang, invalid.Errors),
        RefusedResult refused => Refusal(refused, lang, viewer),
        _ => throw new ArgumentException($"{result.GetType().Name} is not a refusal", nameof(result)),
    };

    private static ProblemBody Refusal(RefusedResult refused, Language lang, Principal viewer)
    {
        var status = StatusOf(refused.Code);
        ProblemBody body;
        if (refused.Decision is { } decision)
        {
            var reasons = ReasonView.For(decision, lang, viewer);
            body = Problems.Make(status, refused.Code, lang, refused.Detail?.In(lang) ?? Said(reasons), decision.RuleIds, reasons,
                passesAt: refused.PassesAt ?? decision.AllPassAt);
        }
        else
        {
            body = Problems.Make(status, refused.Code, lang, refused.Detail?.In(lang), refused.RuleIds, passesAt: refused.PassesAt);
        }
        if (refused.Title is { } title)
        {
            body = body with { Title = title.In(lang) };
        }
        return refused.Extensions is { } extensions ? body with { Extensions = new Dictionary<string, object>(extensions, StringComparer.Ordinal) } : body;
    }

    /// <summary>400 validation_failed with every failing reason (DY-A1, DY-A5), grouped by the form field at fault.</summary>
    private static ProblemBody InvalidByRules(Decision decision, string defaultField, Language lang, Principal viewer)
    {
        var reasons = ReasonView.For(decision, lang, viewer);
        var errors = decision.Reasons
            .Select((r, i) => (Field: r.Args is not null && r.Args.TryGetValue("field", out var f) ? f : defaultField, reasons[i].Message))
            .GroupBy(x => x.Field, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(x => x.Message).ToArray(), StringComparer.Ordinal);
        return Problems.Make(400, "validation_failed", lang, Said(reasons), decision.RuleIds, reasons, errors);
    }

    /// <summary>A problem's detail made of its reasons: "[rule] message" each, in the caller's language.</summary>
    private static string Said(IEnumerable<ReasonView> reasons) => string.Join(" ", reasons.Select(r => $"[{r.Rule}] {r.Message}"));

    /// <summary>Z-3: each failed item of a bulk answer gets the problem its single-item request would have answered.</summary>
    private static BulkResponse Rendered(BulkResponse bulk, Language lang, Principal viewer) =>
        bulk with
        {
            Results = bulk.Results.Select(r => r.Failure is { } failure ? r with { Problem = Problem(failure, lang, viewer) } : r).ToArray(),
        };

    private sealed class Deferred(Result result) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) =>
            Render(result, httpContext.Lang(), Principal.OrAnonymous(httpContext.User)).ExecuteAsync(httpContext);
    }
}

/// <summary>Stores each idempotent answer as it was sent (Z-3): the core keeps it without knowing it is HTTP.</summary>
public sealed class HttpAnswerRecorder : IAnswerRecorder
{
    public StoredAnswer? Record(Result result, Actor actor)
    {
        var answer = ResultHttp.Render(result, actor.Language, actor.Principal);
        if (answer.Status >= 500)
        {
            return null;
        }
        var stored = answer.Body is IReplayRedacted redacted ? redacted.ForReplay() : answer.Body;
        var json = stored is null ? "null" : System.Text.Json.JsonSerializer.Serialize(stored, stored.GetType(), Json.Options);
        return new StoredAnswer(answer.Status, json, answer.Location);
    }
}
