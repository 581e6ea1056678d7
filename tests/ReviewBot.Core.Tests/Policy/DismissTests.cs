using ReviewBot.Core.Authorship;
using ReviewBot.Core.Decisions;
using ReviewBot.Core.Policy;
using ReviewBot.Core.Risk;
using ReviewBot.Core.Snapshot;
using ReviewBot.TestSupport;

namespace ReviewBot.Core.Tests.Policy;

/// <summary>
/// <c>/reviewbot dismiss &lt;finding id&gt; &lt;reason&gt;</c>: parsing, finding ids, rescoring, and who may dismiss what
/// (<see cref="DismissRules"/>: reviewers carol, security sam; a high finding asks security, an RB9001 finding blocks).
/// </summary>
public sealed class DismissTests
{
    private static readonly DateTimeOffset Pushed = new(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset After = Pushed.AddHours(1);

    private static readonly Finding Shell = Make("RB3002", "injection", Severity.Critical, "src/Tool.cs", 5, "System.Diagnostics.Process.Start(command);");
    private static readonly Finding Auth = Make("RB1001", "authorization", Severity.High, "src/Api.cs", 12, "[AllowAnonymous]");
    private static readonly Finding Unreadable = Make("RB9001", "analysis", Severity.High, "src/Huge.cs", 0, null);
    private static readonly Finding Minor = Make("RB6001", "quality", Severity.Low, "src/Tool.cs", 9, "catch { }");

    private static Finding Make(string rule, string category, Severity severity, string path, int line, string? code) => new()
    {
        RuleId = rule, Category = category, Severity = severity, Title = rule + " title", Message = $"{rule} at line {line}", Path = path,
        StartLine = line, EndLine = line, Code = code,
    };

    private static RiskReport Report(params Finding[] findings)
    {
        var files = Files(findings);
        return RiskScorer.Score(FindingIds.Assign(findings), new ChangeMetrics(), [], files, RiskOptions.Default, new RiskThresholds(RiskOptions.Default.Thresholds));
    }

    private static ChangedFile[] Files(IEnumerable<Finding> findings)
        => [.. findings.Select(f => f.Path).Distinct().Select(p => PolicyContexts.File(p))];

    private static string IdOf(RiskReport risk, string ruleId) => risk.Findings.Single(f => f.RuleId == ruleId).Id;

    private static Decision Evaluate(RiskReport risk, DateTimeOffset? headPushedAt, string reviewers, params (string Login, string Body, DateTimeOffset At)[] comments)
    {
        var parsed = RulesParser.Parse(DismissRules.Text(reviewers: reviewers), "r.yml");
        Assert.True(parsed.IsValid, string.Join("\n", parsed.Errors));
        var snapshot = PolicyContexts.Pr([.. risk.Findings.Select(f => f.Path).Distinct().Select(p => PolicyContexts.File(p))]) with
        {
            Author = new Person { Login = "copilot-swe-agent[bot]", IsBot = true },
            HeadPushedAt = headPushedAt,
            Comments = [.. comments.Select((c, i) => new Comment
            {
                Id = i + 1, Author = new Person { Login = c.Login, IsBot = c.Login.EndsWith("[bot]", StringComparison.Ordinal) }, Body = c.Body, CreatedAt = c.At,
            })],
        };
        var authorship = new AuthorshipVerdict
        {
            Kind = AuthorshipKind.AiAuthored, Confidence = Confidence.High, Initiator = "ivan",
            Initiators = [new InitiatorClaim("ivan", InitiatorSource.Platform, "assigned the agent")],
        };
        return new PolicyEvaluator().Evaluate(parsed.Rules!, snapshot, authorship, risk);
    }

    private static Decision Evaluate(RiskReport risk, params (string Login, string Body, DateTimeOffset At)[] comments)
        => Evaluate(risk, Pushed, "{ users: [carol] }", comments);

    [Theory]
    [InlineData("/reviewbot dismiss RB1001-3fa9c2 checked: the endpoint is public by design", "RB1001-3fa9c2", "checked: the endpoint is public by design")]
    [InlineData("Seen.\n/reviewbot DISMISS  RB1001-3fa9c2\nreason on\ntwo lines", "RB1001-3fa9c2", "reason on\ntwo lines")]
    [InlineData("/reviewbot dismiss RB1001-3fa9c2", "RB1001-3fa9c2", "")]
    [InlineData("/reviewbot dismiss", "", "")]
    public void A_dismiss_command_is_parsed_into_a_finding_id_and_a_reason(string body, string id, string reason)
    {
        var command = ReviewBotCommand.Parse(body);

        Assert.Equal(CommandKind.Dismiss, command.Kind);
        Assert.Equal((id, reason), command.SplitArgument());
    }

    [Fact]
    public void A_dismiss_command_in_a_code_block_is_text()
        => Assert.Equal(CommandKind.None, ReviewBotCommand.Parse("```\n/reviewbot dismiss RB1001-3fa9c2 ok\n```").Kind);

    [Fact]
    public void A_finding_id_is_the_rule_and_a_fingerprint_that_survives_line_shifts_and_tells_twins_apart()
    {
        var moved = Auth with { StartLine = 40, EndLine = 40, Message = "RB1001 at line 40", Code = "  [AllowAnonymous]\n" };
        var other = Auth with { Code = "[AllowAnonymous, HttpGet]" };
        var twin = Auth with { StartLine = 30, EndLine = 30 };

        var ids = FindingIds.Assign([Auth, moved, other, twin, Unreadable]).Select(f => f.Id).ToList();
        var shiftedAlone = FindingIds.Assign([moved]).Single().Id;

        Assert.Matches("^RB1001-[0-9a-f]{6}$", ids[0]);
        Assert.Equal(ids[0], shiftedAlone);
        Assert.NotEqual(ids[0], ids[2]);
        Assert.Equal([ids[0], ids[0] + ".3", ids[0] + ".2"], [ids[0], ids[1], ids[3]]);
        Assert.Matches("^RB9001-[0-9a-f]{6}$", ids[4]);
        Assert.True(FindingIds.Names(FindingIds.Assign([Auth]).Single(), "`" + ids[0].ToUpperInvariant() + "`"));
    }

    [Fact]
    public void Dismissing_rescores_the_findings_left_and_keeps_the_dismissed_apart()
    {
        var risk = Report(Shell, Minor);
        var shell = risk.Findings.Single(f => f.RuleId == "RB3002");

        var left = RiskScorer.Dismiss(risk, [new DismissedFinding { Finding = shell, By = "sam", Reason = "r", At = After, CommentId = 1, HeadSha = "h000000" }],
            Files([Shell, Minor]), RiskOptions.Default);

        Assert.Equal(RiskLevel.Critical, risk.Level);
        Assert.Equal((RiskLevel.Low, 1.0), (left.Level, left.Score));
        Assert.Equal(["RB6001"], left.Findings.Select(f => f.RuleId));
        Assert.Equal(shell, Assert.Single(left.Dismissed).Finding);
        Assert.Contains($"1 finding(s) dismissed by reviewers for this head, not counted: {shell.Id}", left.Explanation);
        Assert.Contains("after dismissals: highest severity low → level low", left.Explanation);
    }

    [Fact]
    public void A_security_reviewer_dismissing_the_risky_finding_lifts_the_security_approval_and_the_check_says_so()
    {
        var risk = Report(Shell, Minor);
        var id = IdOf(risk, "RB3002");

        var decision = Evaluate(risk, ("sam", $"/reviewbot dismiss {id} the command is a constant from config", After));

        var dismissed = Assert.Single(decision.Dismissals);
        Assert.Equal(("sam", "the command is a constant from config", "h000000", 1L), (dismissed.By, dismissed.Reason, dismissed.HeadSha, dismissed.CommentId));
        Assert.Equal(id, dismissed.Finding.Id);
        Assert.Equal([$"{DismissRules.Risky}: 1 approval from group security"], decision.LiftedByDismissals);
        Assert.Equal(["group reviewers"], decision.Approvals.Select(a => a.From));
        Assert.Equal("Needs 1 approval from group reviewers", decision.Title);
        var answer = Assert.Single(decision.Commands);
        Assert.True(answer.Accepted, answer.Text);
        Assert.StartsWith($"finding {id} (RB3002 RB3002 title, src/Tool.cs:5) reviewed by @sam for head h000000", answer.Text);
        Assert.Contains("**Reviewed findings**", decision.Summary);
        Assert.Contains("reviewed by @\u200Bsam: the command is a constant from config", decision.Summary);
        Assert.Contains("**No longer required**: Risky changes need security: 1 approval from group security", decision.Summary);
    }

    public static TheoryData<string, string, string, string> Refusals => new()
    {
        // who, body ({0} = the critical finding's id), reviewers group, the refusal
        { "carol", "/reviewbot dismiss {0} looks fine", "{ users: [carol] }", "dismissing {0} would lift Risky changes need security: 1 approval from group security, which @carol could not approve" },
        { "copilot-swe-agent[bot]", "/reviewbot dismiss {0} fine", "{ users: [carol] }", "a bot or app account may not dismiss a finding" },
        { "ivan", "/reviewbot dismiss {0} I asked for it", "{ anyone: true }", "@ivan may not dismiss a finding: dispatched the agent that made the change (assigned the agent)" },
        { "mallory", "/reviewbot dismiss {0} trust me", "{ users: [carol] }", "@mallory may not dismiss a finding: only someone who could approve this change may (group reviewers; group security)" },
        { "sam", "/reviewbot dismiss {0}", "{ users: [carol] }", "a dismissal needs a reason: /reviewbot dismiss <finding id> <reason>" },
        { "sam", "/reviewbot dismiss", "{ users: [carol] }", "a dismissal needs a finding id and a reason" },
        { "sam", "/reviewbot dismiss RB3002-000000 typo", "{ users: [carol] }", "unknown finding id 'RB3002-000000': the findings of head h000000 are {0}, " },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void A_dismissal_that_is_not_allowed_is_answered_with_why_and_changes_nothing(string login, string body, string reviewers, string refusal)
    {
        var risk = Report(Shell, Minor);
        var id = IdOf(risk, "RB3002");
        var unchanged = Evaluate(risk, Pushed, reviewers);

        var decision = Evaluate(risk, Pushed, reviewers, (login, string.Format(System.Globalization.CultureInfo.InvariantCulture, body, id), After));

        var answer = Assert.Single(decision.Commands);
        Assert.False(answer.Accepted);
        Assert.Contains(string.Format(System.Globalization.CultureInfo.InvariantCulture, refusal, id), answer.Text);
        Assert.EndsWith("; nothing changed", answer.Text);
        Assert.Empty(decision.Dismissals);
        Assert.Equal(unchanged.Approvals.Select(a => (a.Rule, a.From, a.Approved)), decision.Approvals.Select(a => (a.Rule, a.From, a.Approved)));
        Assert.Equal(unchanged.Title, decision.Title);
    }

    [Fact]
    public void Anyone_independent_may_dismiss_when_any_reviewer_may_approve_and_the_dismissal_lifts_nothing_they_could_not_give()
    {
        var risk = Report(Shell, Minor);

        var decision = Evaluate(risk, Pushed, "{ anyone: true }", ("mallory", $"/reviewbot dismiss {IdOf(risk, "RB6001")} empty catch is intended", After));

        Assert.Equal("mallory", Assert.Single(decision.Dismissals).By);
        Assert.Empty(decision.LiftedByDismissals);
        Assert.Equal(["group reviewers (any reviewer)", "group security"], decision.Approvals.Select(a => a.From));
    }

    [Theory]
    [InlineData(false, false)] // sam alone would do what the rules ask two people for
    [InlineData(true, true)]   // tom approved: the demand needs only sam's own approval besides his
    public void One_reviewers_dismissal_never_takes_away_a_second_approval(bool tomApproved, bool lifted)
    {
        const string Rules = """
            version: 1
            groups:
              security: { users: [sam, tom] }
            rules:
              - name: High risk needs two of security
                if: { risk: ">= high" }
                require:
                  approvals: [{ group: security, count: 2 }]
              - name: AI changes need one of security
                if: { authorship: ai-authored }
                require:
                  approvals: [{ group: security, count: 1 }]
            """;
        var parsed = RulesParser.Parse(Rules, "r.yml");
        Assert.True(parsed.IsValid, string.Join("\n", parsed.Errors));
        var risk = Report(Shell);
        var snapshot = PolicyContexts.Pr(PolicyContexts.File(Shell.Path)) with
        {
            Author = new Person { Login = "copilot-swe-agent[bot]", IsBot = true },
            HeadPushedAt = Pushed,
            Reviews = tomApproved
                ? [new Review { Reviewer = new Person { Login = "tom" }, State = ReviewState.Approved, CommitSha = "h000000", SubmittedAt = After }]
                : [],
            Comments = [new Comment { Id = 1, Author = new Person { Login = "sam" }, Body = $"/reviewbot dismiss {IdOf(risk, "RB3002")} the command is a constant in practice", CreatedAt = After }],
        };
        var authorship = new AuthorshipVerdict { Kind = AuthorshipKind.AiAuthored, Confidence = Confidence.High, Initiator = "ivan" };

        var decision = new PolicyEvaluator().Evaluate(parsed.Rules!, snapshot, authorship, risk);

        Assert.Equal(lifted, decision.Dismissals.Count == 1);
        Assert.Equal(lifted, decision.Approvals.All(a => a.Rule != "High risk needs two of security"));
        if (!lifted)
        {
            Assert.Contains("which @sam could not approve", Assert.Single(decision.Commands).Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_dismissal_never_lifts_a_block()
    {
        var risk = Report(Unreadable);
        var id = IdOf(risk, "RB9001");

        var decision = Evaluate(risk, ("sam", $"/reviewbot dismiss {id} generated file", After));

        Assert.Empty(decision.Dismissals);
        Assert.Equal(DecisionState.Fail, decision.State);
        Assert.Contains($"dismissing {id} would lift {DismissRules.Blocked}: blocked: code ReviewBot cannot analyse is not merged; a dismissal never lifts a block",
            Assert.Single(decision.Commands).Text);
    }

    [Fact]
    public void A_dismissal_counts_only_on_the_head_it_was_given_for_and_not_when_the_platform_cannot_say_when_that_was()
    {
        var risk = Report(Shell);
        var body = $"/reviewbot dismiss {IdOf(risk, "RB3002")} checked";

        var beforePush = Evaluate(risk, ("sam", body, Pushed.AddMinutes(-1)));
        var unknownPush = Evaluate(risk, null, "{ users: [carol] }", ("sam", body, After));

        Assert.Empty(beforePush.Dismissals);
        Assert.Empty(beforePush.Commands);
        Assert.Empty(unknownPush.Dismissals);
        Assert.Contains("the platform does not say when the current head was pushed, so a dismissal could outlive it", Assert.Single(unknownPush.Commands).Text);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Dismissals_are_judged_together_whatever_the_order_of_the_comments(bool securityFirst)
    {
        var risk = Report(Shell, Auth);
        var carol = ("carol", $"/reviewbot dismiss {IdOf(risk, "RB3002")} fine", After.AddMinutes(securityFirst ? 1 : 0));
        var sam = ("sam", $"/reviewbot dismiss {IdOf(risk, "RB1001")} public by design", After.AddMinutes(securityFirst ? 0 : 1));

        var decision = Evaluate(risk, carol, sam);

        // Carol (not security) would take security's approval away with sam's dismissal; sam alone takes nothing away.
        Assert.Equal("sam", Assert.Single(decision.Dismissals).By);
        Assert.Empty(decision.LiftedByDismissals);
        Assert.Contains("group security", decision.Approvals.Select(a => a.From));
        var refused = Assert.Single(decision.Commands, c => !c.Accepted);
        Assert.Equal("carol", refused.By);
        Assert.Contains("which @carol could not approve", refused.Text);
    }

    [Fact]
    public void The_same_finding_is_dismissed_once()
    {
        var risk = Report(Shell);
        var body = $"/reviewbot dismiss {IdOf(risk, "RB3002")} checked";

        var decision = Evaluate(risk, ("sam", body, After), ("sam", body, After.AddMinutes(1)));

        Assert.Single(decision.Dismissals);
        Assert.Contains("is already dismissed by @sam", decision.Commands[1].Text);
    }
}
