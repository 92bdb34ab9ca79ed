using System.Globalization;

namespace Bindery.Domain;

/// <summary>
/// One attempt to change a shop's main account (DY-M1..M4) as the rules see it. Invariants: CodeExpiresAt ≤
/// WindowEndsAt; WrongCodes ≥ 0; LockedUntil is set exactly when State is <see cref="MainAccountChangeState.Locked"/>.
/// </summary>
public sealed record MainAccountChange(
    string Id,
    string ShopId,
    string? FromAccountId,
    string ToAccountId,
    MainAccountChangeState State,
    DateTimeOffset StartedAt,
    DateTimeOffset CodeExpiresAt,
    DateTimeOffset WindowEndsAt,
    int WrongCodes,
    DateTimeOffset? LockedUntil);

/// <summary>What the rules read about a shop's main account and its earlier changes.</summary>
public sealed record MainAccountState
{
    /// <summary>The shop's current main account (DY-M1); null only for a shop registered before the policy had one.</summary>
    public string? MainAccountId { get; init; }

    /// <summary>The instants at which earlier changes completed (DY-M3), in any order.</summary>
    public IReadOnlyList<DateTimeOffset> CompletedChanges { get; init; } = [];

    /// <summary>The end of the latest lock after too many wrong codes (DY-M4), if any (past or not).</summary>
    public DateTimeOffset? LockedUntil { get; init; }

    /// <summary>
    /// The instants of the wrong codes entered for any change of this shop (DY-M4), in any order, whatever became of
    /// the change since (cancelled, expired, locked): at least those of the last <c>lockFor</c>. The lock counts these
    /// per shop, so cancelling or restarting a change never resets the count.
    /// </summary>
    public IReadOnlyList<DateTimeOffset> WrongCodes { get; init; } = [];

    /// <summary>The change waiting for its code, if any.</summary>
    public MainAccountChange? OpenChange { get; init; }
}

/// <summary>The proposed new main account. <see cref="Account"/> is null when no account has the id.</summary>
public sealed record MainAccountCandidate(string AccountId, Account? Account, bool HasPhone);

/// <summary>
/// What a wrong code does (DY-M4): it counts (<see cref="WrongCodes"/>: this change's own count), and the shop's count
/// within the policy's <c>lockFor</c> reaching the limit locks the change, and with it every main-account change of the
/// shop, until <see cref="LockedUntil"/>. <see cref="Reason"/> is what the caller is told.
/// </summary>
public sealed record WrongCodeResult(int WrongCodes, int AttemptsLeft, DateTimeOffset? LockedUntil, Reason Reason)
{
    public bool Locks => LockedUntil is not null;
}

/// <summary>
/// The rules of changing a shop's main account (主账户, seed 001), pure like <see cref="Rules"/>: every failing rule is
/// listed, time rules say when they pass, windows are half-open.
/// </summary>
public static class MainAccountRules
{
    /// <summary>One main account, never edited in place, changed by one change at a time.</summary>
    public static readonly string OneMainAccount = RuleCatalog.OneMainAccount.Id;

    /// <summary>The new account exists, is real-name verified and has a phone; the code and the window hold.</summary>
    public static readonly string Verification = RuleCatalog.MainAccountVerification.Id;

    /// <summary>The waiting period after a change and the cap on changes per period.</summary>
    public static readonly string Frequency = RuleCatalog.MainAccountFrequency.Id;

    /// <summary>Wrong codes count; too many lock the change for a policy period.</summary>
    public static readonly string WrongCodes = RuleCatalog.MainAccountWrongCodes.Id;

    /// <summary>DY-M1..M4: may the shop start changing its main account to the candidate now?</summary>
    public static Decision DecideStart(MainAccountState state, MainAccountCandidate candidate, MainAccountPolicy policy, DateTimeOffset now)
    {
        List<Reason>? reasons = null;
        if (string.Equals(candidate.AccountId, state.MainAccountId, StringComparison.Ordinal))
        {
            Add(ref reasons, new Reason(OneMainAccount, "main_account_same", Args: Args(("accountId", candidate.AccountId))));
        }
        if (state.OpenChange is { State: MainAccountChangeState.AwaitingCode } open && now < open.WindowEndsAt)
        {
            // One change at a time: the open one must be cancelled or run out first (it does at the end of its window).
            Add(ref reasons, new Reason(OneMainAccount, "main_account_change_open", open.WindowEndsAt,
                Args: Args(("accountId", open.ToAccountId), ("windowEndsAt", Instant(open.WindowEndsAt)))));
        }
        Candidate(candidate, ref reasons);
        Frequent(state.CompletedChanges, policy, now, ref reasons);
        if (LockedUntil(state, policy, now) is { } until)
        {
            Add(ref reasons, Locked(until, policy));
        }
        return reasons is null ? Decision.Allowed : Decision.Denied(reasons);
    }

    /// <summary>
    /// DY-M2/M3/M4: may the code be checked now? The change must be waiting, inside its window, with a live code; the
    /// new account must still qualify, and completing now must respect the frequency rules. A denial changes nothing
    /// (no wrong code is counted).
    /// </summary>
    public static Decision DecideVerify(MainAccountChange change, MainAccountState state, MainAccountCandidate candidate,
        MainAccountPolicy policy, DateTimeOffset now)
    {
        List<Reason>? reasons = null;
        if (Pending(change, policy, now, ref reasons))
        {
            if (now >= change.CodeExpiresAt)
            {
                Add(ref reasons, new Reason(Verification, "main_account_code_expired",
                    Args: Args(("expiresAt", Instant(change.CodeExpiresAt)), ("ttl", IsoDuration.Format(policy.CodeValidFor)))));
            }
            Candidate(candidate, ref reasons);
            Frequent(state.CompletedChanges, policy, now, ref reasons);
            // DY-M4 per shop: a lock reached through another change of the shop holds this one too, right code or not.
            if (LockedUntil(state, policy, now) is { } until)
            {
                Add(ref reasons, Locked(until, policy));
            }
        }
        return reasons is null ? Decision.Allowed : Decision.Denied(reasons);
    }

    /// <summary>
    /// DY-M2: a new code can be sent while the change waits for one, inside its window, to a new account that still
    /// qualifies (it may have lost its phone or verification meanwhile).
    /// </summary>
    public static Decision DecideResend(MainAccountChange change, MainAccountCandidate candidate, MainAccountPolicy policy, DateTimeOffset now) =>
        DecideResend(change, new MainAccountState(), candidate, policy, now);

    /// <summary>
    /// DY-M2/M4: as above, and not while the shop's main-account changes are locked (a new code would only give more
    /// guesses; a resend never resets the wrong codes counted, which belong to the shop).
    /// </summary>
    public static Decision DecideResend(MainAccountChange change, MainAccountState state, MainAccountCandidate candidate, MainAccountPolicy policy,
        DateTimeOffset now)
    {
        List<Reason>? reasons = null;
        if (Pending(change, policy, now, ref reasons))
        {
            Candidate(candidate, ref reasons);
            if (LockedUntil(state, policy, now) is { } until)
            {
                Add(ref reasons, Locked(until, policy));
            }
        }
        return reasons is null ? Decision.Allowed : Decision.Denied(reasons);
    }

    /// <summary>A change can be cancelled while it waits for its code, inside its window.</summary>
    public static Decision DecideCancel(MainAccountChange change, MainAccountPolicy policy, DateTimeOffset now)
    {
        List<Reason>? reasons = null;
        Pending(change, policy, now, ref reasons);
        return reasons is null ? Decision.Allowed : Decision.Denied(reasons);
    }

    /// <summary>DY-M4 for a shop with no other wrong codes on record: see the overload reading the shop's state.</summary>
    public static WrongCodeResult WrongCode(MainAccountChange change, MainAccountPolicy policy, DateTimeOffset now) =>
        WrongCode(change, new MainAccountState(), policy, now);

    /// <summary>
    /// DY-M4: a wrong code counts for the shop, not just for the change: the count is the shop's wrong codes in
    /// (now − lockFor, now] (never less than this change's own), plus this one; reaching <c>maxWrongCodes</c> locks the
    /// change, and every main-account change of the shop, for <c>lockFor</c> from now. Cancelling, letting a change run
    /// out or resending a code resets nothing.
    /// </summary>
    public static WrongCodeResult WrongCode(MainAccountChange change, MainAccountState state, MainAccountPolicy policy, DateTimeOffset now)
    {
        var own = checked(change.WrongCodes + 1);
        var counted = checked(Math.Max(RecentWrongCodes(state.WrongCodes, policy, now).Length, change.WrongCodes) + 1);
        if (counted >= policy.MaxWrongCodes)
        {
            var until = now + policy.LockFor;
            return new WrongCodeResult(own, 0, until, Locked(until, policy));
        }
        var left = policy.MaxWrongCodes - counted;
        return new WrongCodeResult(own, left, null, new Reason(WrongCodes, "main_account_wrong_code",
            Args: Args(("attemptsLeft", Num(left)), ("ttl", IsoDuration.Format(policy.LockFor)))));
    }

    /// <summary>The attempts left before the change locks, counting its own wrong codes only (DY-M4).</summary>
    public static int AttemptsLeft(MainAccountChange change, MainAccountPolicy policy) =>
        change.State == MainAccountChangeState.Locked ? 0 : Math.Max(policy.MaxWrongCodes - change.WrongCodes, 0);

    /// <summary>The attempts left before the shop's main-account changes lock (DY-M4): 0 while they are locked.</summary>
    public static int AttemptsLeft(MainAccountChange change, MainAccountState state, MainAccountPolicy policy, DateTimeOffset now)
    {
        if (change.State == MainAccountChangeState.Locked || LockedUntil(state, policy, now) is not null)
        {
            return 0;
        }
        var counted = Math.Max(RecentWrongCodes(state.WrongCodes, policy, now).Length, change.WrongCodes);
        return Math.Max(policy.MaxWrongCodes - counted, 0);
    }

    /// <summary>
    /// DY-M4: the end of the lock on the shop's main-account changes in force at <paramref name="now"/>, or null. Locked
    /// while a recorded lock runs (<see cref="MainAccountState.LockedUntil"/>), or while the lock the shop's wrong codes
    /// themselves imply runs: the wrong code that is the <c>maxWrongCodes</c>-th within <c>lockFor</c> (counting none
    /// that an earlier lock already used) locks until it + lockFor. Whichever ends later.
    /// </summary>
    public static DateTimeOffset? LockedUntil(MainAccountState state, MainAccountPolicy policy, DateTimeOffset now)
    {
        DateTimeOffset? until = state.LockedUntil is { } recorded && now < recorded ? recorded : null;
        var codes = state.WrongCodes.Where(w => w <= now).Order().ToArray();
        var first = 0; // the oldest code not used by an earlier lock
        DateTimeOffset? implied = null;
        for (var i = 0; i < codes.Length; i++)
        {
            while (codes[first] <= codes[i] - policy.LockFor)
            {
                first++;
            }
            if (i - first + 1 >= policy.MaxWrongCodes)
            {
                implied = codes[i] + policy.LockFor;
                first = i + 1;
            }
        }
        if (implied is { } derived && now < derived && (until is null || derived > until))
        {
            until = derived;
        }
        return until;
    }

    /// <summary>The wrong codes the lock counts at <paramref name="now"/>: those in (now − lockFor, now], oldest first.</summary>
    public static DateTimeOffset[] RecentWrongCodes(IReadOnlyList<DateTimeOffset> wrongCodes, MainAccountPolicy policy, DateTimeOffset now)
    {
        var start = now - policy.LockFor;
        return wrongCodes.Where(w => w > start && w <= now).Order().ToArray();
    }

    /// <summary>
    /// The time rules alone (DY-M3 waiting period and cap, DY-M4 lock): what holds back any change now, each with the
    /// instant it passes. Empty: a change could start now as far as time goes.
    /// </summary>
    public static IReadOnlyList<Reason> TimeRules(MainAccountState state, MainAccountPolicy policy, DateTimeOffset now)
    {
        List<Reason>? reasons = null;
        Frequent(state.CompletedChanges, policy, now, ref reasons);
        if (LockedUntil(state, policy, now) is { } until)
        {
            Add(ref reasons, Locked(until, policy));
        }
        return reasons ?? [];
    }

    /// <summary>Completed changes counted by the cap at <paramref name="now"/>: those in (now − changePeriod, now].</summary>
    public static int ChangesInPeriod(IReadOnlyList<DateTimeOffset> completed, MainAccountPolicy policy, DateTimeOffset now)
    {
        var start = now - policy.ChangePeriod;
        return completed.Count(c => c > start && c <= now);
    }

    /// <summary>
    /// Whether the change still waits for its code: a change locked now names the lock (DY-M4), a change past its
    /// window says so (DY-M2, also before the sweep has recorded it), any other final state is simply not pending.
    /// </summary>
    private static bool Pending(MainAccountChange change, MainAccountPolicy policy, DateTimeOffset now, ref List<Reason>? reasons)
    {
        if (change.State == MainAccountChangeState.Locked && change.LockedUntil is { } until && now < until)
        {
            Add(ref reasons, Locked(until, policy));
            return false;
        }
        if (change.State == MainAccountChangeState.Expired || (change.State == MainAccountChangeState.AwaitingCode && now >= change.WindowEndsAt))
        {
            Add(ref reasons, new Reason(Verification, "main_account_change_window_passed",
                Args: Args(("windowEndsAt", Instant(change.WindowEndsAt)), ("ttl", IsoDuration.Format(policy.ChangeWindow)))));
            return false;
        }
        if (change.State != MainAccountChangeState.AwaitingCode)
        {
            Add(ref reasons, new Reason(Verification, "main_account_change_not_pending", Args: Args(("state", Wire.Name(change.State)))));
            return false;
        }
        return true;
    }

    /// <summary>DY-M2: the new main account exists, is in normal status, real-name verified and reachable by phone.</summary>
    private static void Candidate(MainAccountCandidate candidate, ref List<Reason>? reasons)
    {
        if (candidate.Account is not { } account)
        {
            Add(ref reasons, new Reason(Verification, "main_account_candidate_not_found", Args: Args(("accountId", candidate.AccountId))));
            return;
        }
        if (account.Status != AccountStatus.Normal)
        {
            Add(ref reasons, new Reason(Verification, "main_account_candidate_not_normal", Args: Args(("status", Wire.Name(account.Status)))));
        }
        if (!account.RealNameVerified)
        {
            Add(ref reasons, new Reason(Verification, "main_account_candidate_not_verified", SupportCanHelp: true));
        }
        if (!candidate.HasPhone)
        {
            Add(ref reasons, new Reason(Verification, "main_account_candidate_no_phone", SupportCanHelp: true));
        }
    }

    /// <summary>
    /// DY-M3: the waiting period after the last completed change (passes at that change + the period) and at most
    /// <c>maxChanges</c> completed changes in any rolling <c>changePeriod</c> (a change at c counts in [c, c + period);
    /// the cap passes when enough of the counted ones have left the window).
    /// </summary>
    private static void Frequent(IReadOnlyList<DateTimeOffset> completed, MainAccountPolicy policy, DateTimeOffset now, ref List<Reason>? reasons)
    {
        var past = completed.Where(c => c <= now).Order().ToArray();
        if (past.Length == 0)
        {
            return;
        }
        var last = past[^1];
        var waitEnds = last + policy.RebindWaitingPeriod;
        if (now < waitEnds)
        {
            Add(ref reasons, new Reason(Frequency, "main_account_waiting_period", waitEnds,
                Args: Args(("changedAt", Instant(last)), ("minimum", IsoDuration.Format(policy.RebindWaitingPeriod)))));
        }
        var windowStart = now - policy.ChangePeriod;
        var counted = past.Where(c => c > windowStart).ToArray();
        if (counted.Length >= policy.MaxChanges)
        {
            // One more is allowed once (counted - max + 1) of them have left: the (counted - max + 1)-th oldest leaves last.
            var leavesAt = counted[counted.Length - policy.MaxChanges] + policy.ChangePeriod;
            Add(ref reasons, new Reason(Frequency, "main_account_changes_used", leavesAt,
                Args: Args(("used", Num(counted.Length)), ("limit", Num(policy.MaxChanges)), ("window", IsoDuration.Format(policy.ChangePeriod)))));
        }
    }

    private static Reason Locked(DateTimeOffset until, MainAccountPolicy policy) =>
        new(WrongCodes, "main_account_change_locked", until,
            Args: Args(("lockedUntil", Instant(until)), ("maxWrongCodes", Num(policy.MaxWrongCodes))));

    private static void Add(ref List<Reason>? reasons, Reason reason) => (reasons ??= []).Add(reason);

    private static Dictionary<string, string> Args(params (string Key, string Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    private static string Num(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
