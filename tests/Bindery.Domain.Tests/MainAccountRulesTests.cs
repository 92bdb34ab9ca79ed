using static Bindery.Domain.Tests.Given;

namespace Bindery.Domain.Tests;

/// <summary>
/// DY-M1..DY-M4 (seed 001): changing a shop's main account. Every branch of <see cref="MainAccountRules"/> with its
/// exact boundary: a time rule is refused one tick before it passes and allowed at the instant it passes.
/// </summary>
public sealed class MainAccountRulesTests
{
    private static readonly MainAccountPolicy P = Douyin.MainAccount!;

    private static Account Verified(AccountStatus status = AccountStatus.Normal) =>
        new("acc-new", AccountOrigin.Douyin, new CountryCode("CN"), new DateOnly(1990, 1, 1), status) { RealNameVerified = true };

    private static MainAccountCandidate Candidate(Account? account = null, bool hasPhone = true) =>
        new("acc-new", account ?? Verified(), hasPhone);

    private static MainAccountState State(params DateTimeOffset[] completed) =>
        new() { MainAccountId = "acc-old", CompletedChanges = completed };

    /// <summary>A change started at T0, its code valid 5 minutes, its window 30 minutes.</summary>
    private static MainAccountChange Change(MainAccountChangeState state = MainAccountChangeState.AwaitingCode, int wrongCodes = 0,
        DateTimeOffset? lockedUntil = null) =>
        new("mac-1", "shop-1", "acc-old", "acc-new", state, T0, T0 + P.CodeValidFor, T0 + P.ChangeWindow, wrongCodes, lockedUntil);

    private static Decision Start(MainAccountState state, MainAccountCandidate candidate, DateTimeOffset now) =>
        MainAccountRules.DecideStart(state, candidate, P, now);

    private static Decision Verify(MainAccountChange change, DateTimeOffset now, MainAccountState? state = null, MainAccountCandidate? candidate = null) =>
        MainAccountRules.DecideVerify(change, state ?? State(), candidate ?? Candidate(), P, now);

    private static string[] Codes(Decision d) => d.Reasons.Select(r => r.Code).ToArray();

    [Fact] // DY-M1, DY-M2, DY-M3, DY-M4
    public void The_douyin_preset_holds_the_main_account_figures()
    {
        Assert.Equal(6, P.CodeLength);
        Assert.Equal(TimeSpan.FromMinutes(5), P.CodeValidFor);
        Assert.Equal(TimeSpan.FromMinutes(30), P.ChangeWindow);
        Assert.Equal(5, P.MaxWrongCodes);
        Assert.Equal(Hours(24), P.LockFor);
        Assert.Equal(Days(7), P.RebindWaitingPeriod);
        Assert.Equal(2, P.MaxChanges);
        Assert.Equal(Days(90), P.ChangePeriod);
        Assert.Null(Preset.MainAccount);
    }

    [Fact] // DY-M1, DY-M2
    public void A_change_to_a_verified_account_with_a_phone_may_start()
    {
        Assert.True(Start(State(), Candidate(), T0).IsAllowed);
    }

    [Fact] // DY-M1
    public void The_current_main_account_cannot_be_the_new_one()
    {
        var reason = Single(Start(State() with { MainAccountId = "acc-new" }, Candidate(), T0));

        Assert.Equal("DY-M1", reason.Rule);
        Assert.Equal("main_account_same", reason.Code);
        Assert.Null(reason.PassesAt);
    }

    [Fact] // DY-M1
    public void A_shop_without_a_main_account_may_get_its_first_through_a_change()
    {
        Assert.True(Start(State() with { MainAccountId = null }, Candidate(), T0).IsAllowed);
    }

    [Fact] // DY-M1: one change at a time, until the open one's window ends (half-open)
    public void A_change_waiting_for_its_code_blocks_another_until_its_window_ends()
    {
        var state = State() with { OpenChange = Change() };

        var reason = Single(Start(state, Candidate(), T0 + P.ChangeWindow - Tick));
        Assert.Equal("DY-M1", reason.Rule);
        Assert.Equal("main_account_change_open", reason.Code);
        Assert.Equal(T0 + P.ChangeWindow, reason.PassesAt);

        Assert.True(Start(state, Candidate(), T0 + P.ChangeWindow).IsAllowed);
        Assert.True(Start(state with { OpenChange = Change(MainAccountChangeState.Cancelled) }, Candidate(), T0).IsAllowed);
    }

    [Fact] // DY-M2
    public void An_account_that_does_not_exist_is_refused_and_nothing_else_is_said_about_it()
    {
        var reason = Single(Start(State(), new MainAccountCandidate("acc-ghost", null, false), T0));

        Assert.Equal("DY-M2", reason.Rule);
        Assert.Equal("main_account_candidate_not_found", reason.Code);
        Assert.Equal("acc-ghost", reason.Args!["accountId"]);
    }

    [Fact] // DY-M2
    public void An_account_that_is_not_real_name_verified_is_refused()
    {
        var reason = Single(Start(State(), Candidate(Verified() with { RealNameVerified = false }), T0));

        Assert.Equal("DY-M2", reason.Rule);
        Assert.Equal("main_account_candidate_not_verified", reason.Code);
        Assert.True(reason.SupportCanHelp);
    }

    [Fact] // DY-M2
    public void An_account_without_a_phone_cannot_receive_the_code()
    {
        var reason = Single(Start(State(), Candidate(hasPhone: false), T0));

        Assert.Equal("DY-M2", reason.Rule);
        Assert.Equal("main_account_candidate_no_phone", reason.Code);
    }

    [Theory] // DY-M2
    [InlineData(AccountStatus.Restricted)]
    [InlineData(AccountStatus.Banned)]
    [InlineData(AccountStatus.Deleting)]
    public void An_account_not_in_normal_status_is_refused(AccountStatus status)
    {
        var reason = Single(Start(State(), Candidate(Verified(status)), T0));

        Assert.Equal("main_account_candidate_not_normal", reason.Code);
        Assert.Equal(Wire.Name(status), reason.Args!["status"]);
    }

    [Fact] // DY-M1, DY-M2, DY-M3, DY-M4: every failing rule is listed, not just the first
    public void Every_failing_rule_is_listed()
    {
        var state = new MainAccountState
        {
            MainAccountId = "acc-new",
            CompletedChanges = [T0 - Days(1)],
            LockedUntil = T0 + Hours(1),
            OpenChange = Change(),
        };
        var candidate = Candidate(Verified(AccountStatus.Banned) with { RealNameVerified = false }, hasPhone: false);

        var decision = Start(state, candidate, T0);

        Assert.Equal(["DY-M1", "DY-M1", "DY-M2", "DY-M2", "DY-M2", "DY-M3", "DY-M4"], RulesOf(decision));
        Assert.Equal(["main_account_same", "main_account_change_open", "main_account_candidate_not_normal", "main_account_candidate_not_verified",
            "main_account_candidate_no_phone", "main_account_waiting_period", "main_account_change_locked"], Codes(decision));
        Assert.Null(decision.AllPassAt);
    }

    [Fact] // DY-M3: the waiting period after the last change passes at that change + 7 days
    public void Another_change_waits_7_days_after_the_last_one()
    {
        var state = State(T0 - Days(100), T0);

        var reason = Single(Start(state, Candidate(), T0 + Days(7) - Tick));
        Assert.Equal("DY-M3", reason.Rule);
        Assert.Equal("main_account_waiting_period", reason.Code);
        Assert.Equal(T0 + Days(7), reason.PassesAt);
        Assert.Equal("P7D", reason.Args!["minimum"]);

        Assert.True(Start(state, Candidate(), T0 + Days(7)).IsAllowed);
    }

    [Fact] // DY-M3: a zero waiting period waits for nothing
    public void A_policy_without_a_waiting_period_allows_a_change_right_after_another()
    {
        var policy = P with { RebindWaitingPeriod = TimeSpan.Zero };

        Assert.True(MainAccountRules.DecideStart(State(T0), Candidate(), policy, T0).IsAllowed);
    }

    [Fact] // DY-M3: at most 2 changes in any rolling 90 days; the slot frees when the oldest leaves the window
    public void The_cap_passes_when_the_oldest_counted_change_leaves_the_window()
    {
        var state = State(T0 - Days(80), T0 - Days(30));

        var reason = Single(Start(state, Candidate(), T0));
        Assert.Equal("DY-M3", reason.Rule);
        Assert.Equal("main_account_changes_used", reason.Code);
        Assert.Equal(T0 + Days(10), reason.PassesAt);
        Assert.Equal("2", reason.Args!["used"]);
        Assert.Equal("2", reason.Args!["limit"]);
        Assert.Equal("P90D", reason.Args!["window"]);

        Assert.Equal(T0 + Days(10), Single(Start(state, Candidate(), T0 + Days(10) - Tick)).PassesAt);
        Assert.True(Start(state, Candidate(), T0 + Days(10)).IsAllowed);
    }

    [Fact] // DY-M3: windows are half-open, a change exactly one period old no longer counts
    public void A_change_exactly_one_period_old_does_not_count()
    {
        var completed = new[] { T0 - Days(90), T0 - Days(10) };

        Assert.Equal(1, MainAccountRules.ChangesInPeriod(completed, P, T0));
        Assert.Equal(2, MainAccountRules.ChangesInPeriod(completed, P, T0 - Tick));
        Assert.True(Start(State(completed), Candidate(), T0).IsAllowed);
    }

    [Fact] // DY-M3: with more changes than the cap, enough must leave: the (used - max + 1)-th oldest leaves last
    public void Over_the_cap_the_cap_passes_when_enough_changes_have_left()
    {
        var state = State(T0 - Days(30), T0 - Days(85), T0 - Days(60)); // any order; 3 counted, limit 2

        var reason = Single(Start(state, Candidate(), T0));

        Assert.Equal("3", reason.Args!["used"]);
        Assert.Equal(T0 - Days(60) + Days(90), reason.PassesAt);
    }

    [Fact] // DY-M3
    public void The_time_rules_alone_say_when_a_change_is_possible_again()
    {
        var state = State(T0 - Days(80), T0 - Days(3)) with { LockedUntil = T0 + Days(2) };

        var reasons = MainAccountRules.TimeRules(state, P, T0);

        Assert.Equal(["main_account_waiting_period", "main_account_changes_used", "main_account_change_locked"], reasons.Select(r => r.Code));
        Assert.Equal([T0 + Days(4), T0 + Days(10), T0 + Days(2)], reasons.Select(r => r.PassesAt!.Value));
        Assert.Empty(MainAccountRules.TimeRules(State(), P, T0));
    }

    [Fact] // DY-M4: while a lock is in force no change may start; it passes at lockedUntil
    public void A_lock_refuses_every_start_until_it_ends()
    {
        var state = State() with { LockedUntil = T0 + Hours(24) };

        var reason = Single(Start(state, Candidate(), T0 + Hours(24) - Tick));
        Assert.Equal("DY-M4", reason.Rule);
        Assert.Equal("main_account_change_locked", reason.Code);
        Assert.Equal(T0 + Hours(24), reason.PassesAt);

        Assert.True(Start(state, Candidate(), T0 + Hours(24)).IsAllowed);
    }

    [Fact] // DY-M2: the code can be entered until one tick before it expires
    public void A_code_is_accepted_until_it_expires()
    {
        Assert.True(Verify(Change(), T0).IsAllowed);
        Assert.True(Verify(Change(), T0 + P.CodeValidFor - Tick).IsAllowed);

        var reason = Single(Verify(Change(), T0 + P.CodeValidFor));
        Assert.Equal("DY-M2", reason.Rule);
        Assert.Equal("main_account_code_expired", reason.Code);
        Assert.Null(reason.PassesAt);
        Assert.Equal("PT5M", reason.Args!["ttl"]);
        Assert.Contains("a code is valid for 5 minutes.", reason.Message(Language.En), StringComparison.Ordinal);
        Assert.Contains("（有效期 5 分钟）", reason.Message(Language.ZhCn), StringComparison.Ordinal);
    }

    [Fact] // DY-M2: the change must be done within the window the page gives, recorded or not yet
    public void After_the_window_the_change_cannot_be_verified_resent_or_cancelled()
    {
        var end = T0 + P.ChangeWindow;
        var fresh = Change() with { CodeExpiresAt = end };

        Assert.True(Verify(fresh, end - Tick).IsAllowed);
        foreach (var change in new[] { fresh, fresh with { State = MainAccountChangeState.Expired } })
        {
            var reason = Single(Verify(change, end));
            Assert.Equal("DY-M2", reason.Rule);
            Assert.Equal("main_account_change_window_passed", reason.Code);
            Assert.Equal("PT30M", reason.Args!["ttl"]);
            Assert.Contains("within 30 minutes of its start", reason.Message(Language.En), StringComparison.Ordinal);
            Assert.Contains("需在发起后 30 分钟内完成", reason.Message(Language.ZhCn), StringComparison.Ordinal);
            Assert.Equal("main_account_change_window_passed", Single(MainAccountRules.DecideResend(change, Candidate(), P, end)).Code);
            Assert.Equal("main_account_change_window_passed", Single(MainAccountRules.DecideCancel(change, P, end)).Code);
        }
        Assert.True(MainAccountRules.DecideResend(fresh, Candidate(), P, end - Tick).IsAllowed);
        Assert.True(MainAccountRules.DecideCancel(fresh, P, end - Tick).IsAllowed);
    }

    [Theory] // DY-M2: a code is single-use; a finished change never takes one again
    [InlineData(MainAccountChangeState.Completed)]
    [InlineData(MainAccountChangeState.Cancelled)]
    public void A_finished_change_is_not_pending(MainAccountChangeState state)
    {
        var change = Change(state);

        var reason = Single(Verify(change, T0 + TimeSpan.FromMinutes(1)));
        Assert.Equal("DY-M2", reason.Rule);
        Assert.Equal("main_account_change_not_pending", reason.Code);
        Assert.Equal(Wire.Name(state), reason.Args!["state"]);
        Assert.False(MainAccountRules.DecideResend(change, Candidate(), P, T0).IsAllowed);
        Assert.False(MainAccountRules.DecideCancel(change, P, T0).IsAllowed);
    }

    [Fact] // DY-M2: the new account must still qualify when the code is entered
    public void Verifying_rechecks_the_new_account()
    {
        var unverified = Candidate(Verified() with { RealNameVerified = false });

        Assert.Equal(["main_account_candidate_not_verified"], Codes(Verify(Change(), T0, candidate: unverified)));
        Assert.Equal(["main_account_candidate_no_phone"], Codes(MainAccountRules.DecideResend(Change(), Candidate(hasPhone: false), P, T0)));
    }

    [Fact] // DY-M3: completing is binding the new main account, so the frequency rules hold at that instant too
    public void Verifying_rechecks_the_frequency_rules()
    {
        var reason = Single(Verify(Change(), T0, State(T0 - Days(1))));

        Assert.Equal("DY-M3", reason.Rule);
        Assert.Equal(T0 + Days(6), reason.PassesAt);
    }

    [Fact] // DY-M4: a wrong code counts and says how many attempts are left
    public void A_wrong_code_counts()
    {
        var first = MainAccountRules.WrongCode(Change(), P, T0);

        Assert.Equal(1, first.WrongCodes);
        Assert.Equal(4, first.AttemptsLeft);
        Assert.False(first.Locks);
        Assert.Equal("DY-M4", first.Reason.Rule);
        Assert.Equal("main_account_wrong_code", first.Reason.Code);
        Assert.Equal("4", first.Reason.Args!["attemptsLeft"]);
        Assert.Null(first.Reason.PassesAt);

        var fourth = MainAccountRules.WrongCode(Change(wrongCodes: 3), P, T0);
        Assert.Equal(1, fourth.AttemptsLeft);
        Assert.False(fourth.Locks);
    }

    [Fact] // DY-M4: the 5th wrong code locks the change for 24 hours from that instant
    public void The_fifth_wrong_code_locks_for_24_hours()
    {
        var at = T0 + TimeSpan.FromMinutes(3);

        var fifth = MainAccountRules.WrongCode(Change(wrongCodes: 4), P, at);

        Assert.Equal(5, fifth.WrongCodes);
        Assert.Equal(0, fifth.AttemptsLeft);
        Assert.True(fifth.Locks);
        Assert.Equal(at + Hours(24), fifth.LockedUntil);
        Assert.Equal("DY-M4", fifth.Reason.Rule);
        Assert.Equal("main_account_change_locked", fifth.Reason.Code);
        Assert.Equal(at + Hours(24), fifth.Reason.PassesAt);
    }

    /// <summary>A shop whose changes saw wrong codes at these instants (any change, whatever became of it).</summary>
    private static MainAccountState WrongAt(params DateTimeOffset[] wrong) =>
        new() { MainAccountId = "acc-old", WrongCodes = wrong };

    [Fact] // DY-M4: the count is the shop's, so a new change after a cancelled one starts where the shop stands
    public void Wrong_codes_of_earlier_changes_of_the_shop_count_towards_the_lock()
    {
        var earlier = WrongAt(T0, T0, T0, T0);
        var at = T0 + TimeSpan.FromMinutes(10);

        Assert.Equal(1, MainAccountRules.AttemptsLeft(Change(), earlier, P, at));
        var fifth = MainAccountRules.WrongCode(Change(), earlier, P, at);

        Assert.Equal(1, fifth.WrongCodes); // the change's own count
        Assert.True(fifth.Locks);
        Assert.Equal(0, fifth.AttemptsLeft);
        Assert.Equal(at + Hours(24), fifth.LockedUntil);
        Assert.Equal("DY-M4", fifth.Reason.Rule);
    }

    [Fact] // DY-M4: wrong codes count within (now − lockFor, now]: one that old no longer counts
    public void Wrong_codes_older_than_the_lock_period_no_longer_count()
    {
        var state = WrongAt(T0, T0 + Hours(1), T0 + Hours(1), T0 + Hours(1));

        Assert.True(MainAccountRules.WrongCode(Change(), state, P, T0 + Hours(24) - Tick).Locks);
        var after = MainAccountRules.WrongCode(Change(), state, P, T0 + Hours(24));
        Assert.False(after.Locks);
        Assert.Equal(1, after.AttemptsLeft);
    }

    [Fact] // DY-M4: the shop's own count is never below the change's own
    public void A_change_never_counts_fewer_wrong_codes_than_its_own()
    {
        Assert.True(MainAccountRules.WrongCode(Change(wrongCodes: 4), WrongAt(T0), P, T0).Locks);
    }

    [Fact] // DY-M4: maxWrongCodes wrong codes within lockFor lock the shop's changes: start, verify (even the right code) and resend
    public void Enough_recent_wrong_codes_lock_starting_verifying_and_resending_until_the_latest_plus_the_period()
    {
        var last = T0 + TimeSpan.FromMinutes(20);
        var state = WrongAt(T0, T0, T0 + TimeSpan.FromMinutes(5), T0 + TimeSpan.FromMinutes(5), last);
        var now = T0 + TimeSpan.FromMinutes(21);
        var open = Change() with { WindowEndsAt = now + P.ChangeWindow, CodeExpiresAt = now + P.CodeValidFor };

        Assert.Equal(last + Hours(24), MainAccountRules.LockedUntil(state, P, now));
        var start = Single(Start(state, Candidate(), now));
        Assert.Equal(("DY-M4", "main_account_change_locked", last + Hours(24)), (start.Rule, start.Code, start.PassesAt));
        Assert.Equal(["main_account_change_locked"], Codes(Verify(open, now, state)));
        Assert.Equal(["main_account_change_locked"], Codes(MainAccountRules.DecideResend(open, state, Candidate(), P, now)));
        Assert.Equal(0, MainAccountRules.AttemptsLeft(open, state, P, now));
        Assert.Equal(["main_account_change_locked"], MainAccountRules.TimeRules(state, P, now).Select(r => r.Code));

        Assert.False(Start(state, Candidate(), last + Hours(24) - Tick).IsAllowed);
        Assert.True(Start(state, Candidate(), last + Hours(24)).IsAllowed);
        Assert.Null(MainAccountRules.LockedUntil(state, P, last + Hours(24)));
    }

    [Fact] // DY-M4: a recorded lock holds verification of another change of the shop as well
    public void A_recorded_lock_of_the_shop_refuses_the_right_code_of_an_open_change()
    {
        var state = State() with { LockedUntil = T0 + Hours(24) };

        var reason = Single(Verify(Change(), T0 + TimeSpan.FromMinutes(1), state));
        Assert.Equal(("DY-M4", T0 + Hours(24)), (reason.Rule, reason.PassesAt));
        Assert.True(Verify(Change(), T0 + TimeSpan.FromMinutes(1), State() with { LockedUntil = T0 }).IsAllowed);
    }

    [Fact] // DY-M4: a policy allowing one wrong code locks at the first
    public void With_a_limit_of_one_the_first_wrong_code_locks()
    {
        Assert.True(MainAccountRules.WrongCode(Change(), P with { MaxWrongCodes = 1 }, T0).Locks);
    }

    [Fact] // DY-M4: a locked change names the lock until it ends, then is simply over
    public void A_locked_change_cannot_be_verified()
    {
        var locked = Change(MainAccountChangeState.Locked, 5, T0 + Hours(24));

        var reason = Single(Verify(locked, T0 + TimeSpan.FromMinutes(1)));
        Assert.Equal("DY-M4", reason.Rule);
        Assert.Equal("main_account_change_locked", reason.Code);
        Assert.Equal(T0 + Hours(24), reason.PassesAt);

        var later = Single(Verify(locked, T0 + Hours(24)));
        Assert.Equal("main_account_change_not_pending", later.Code);
        Assert.Equal(0, MainAccountRules.AttemptsLeft(locked, P));
        Assert.Equal(3, MainAccountRules.AttemptsLeft(Change(wrongCodes: 2), P));
    }

    [Fact] // DY-M3, DY-M4
    public void The_messages_name_the_numbers_in_both_languages()
    {
        var wrong = MainAccountRules.WrongCode(Change(), P, T0).Reason;
        Assert.Equal("The verification code is wrong; 4 attempts left before changes are locked for 24 hours.", wrong.Message(Language.En));
        Assert.Equal("验证码错误，还可尝试 4 次，否则主账户更换将被锁定 24 小时。", wrong.Message(Language.ZhCn));

        var waiting = Single(Start(State(T0), Candidate(), T0 + Days(1)));
        Assert.Equal("The main account was changed at 2026-03-02 08:00 UTC; it can be changed again only 7 days later.", waiting.Message(Language.En));
        Assert.Equal("主账户已于 2026-03-02 08:00 UTC 更换，需等待 7 天后才能再次更换。", waiting.Message(Language.ZhCn));
    }

    /// <summary>Real decisions producing every main-account reason code (for <see cref="MessagesTests"/>).</summary>
    internal static IEnumerable<Reason> ReasonsOfEveryKind()
    {
        var everything = new MainAccountState
        {
            MainAccountId = "acc-new",
            CompletedChanges = [T0 - Days(80), T0 - Days(1)],
            LockedUntil = T0 + Hours(1),
            OpenChange = Change(),
        };
        var decisions = new[]
        {
            Start(everything, Candidate(Verified(AccountStatus.Banned) with { RealNameVerified = false }, hasPhone: false), T0),
            Start(State(), new MainAccountCandidate("acc-ghost", null, false), T0),
            Verify(Change(), T0 + P.CodeValidFor),
            Verify(Change(), T0 + P.ChangeWindow),
            Verify(Change(MainAccountChangeState.Completed), T0),
        };
        return decisions.SelectMany(d => d.Reasons)
            .Append(MainAccountRules.WrongCode(Change(), P, T0).Reason)
            .Append(MainAccountRules.WrongCode(Change(wrongCodes: 4), P, T0).Reason);
    }
}
