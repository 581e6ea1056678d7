using ReviewBot.Core.Authorship;
using ReviewBot.Core.Decisions;
using ReviewBot.Core.Policy;
using ReviewBot.Core.Risk;
using ReviewBot.Core.Snapshot;
using ReviewBot.TestSupport;

namespace ReviewBot.Core.Tests.Policy;

/// <summary>The <c>overrides:</c> section (positioned errors), <c>/reviewbot</c> command parsing, and what an override lifts.</summary>
public sealed class OverrideTests
{
    private static readonly DateTimeOffset Pushed = new(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);

    private static RulesFile Rules(string extra = "")
    {
        var result = RulesParser.Parse(OverrideRules.Text(extra: extra), "r.yml");
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        return result.Rules!;
    }

    private static Decision Evaluate(RulesFile rules, DateTimeOffset? headPushedAt, params (string Login, string Body, DateTimeOffset At)[] comments)
    {
        var snapshot = PolicyContexts.Pr(PolicyContexts.File("src/a.cs")) with
        {
            Author = new Person { Login = "copilot-swe-agent[bot]", IsBot = true },
            HeadPushedAt = headPushedAt,
            Comments = [.. comments.Select((c, i) => new Comment { Id = i + 1, Author = new Person { Login = c.Login }, Body = c.Body, CreatedAt = c.At })],
        };
        var authorship = new AuthorshipVerdict { Kind = AuthorshipKind.AiAuthored, Confidence = Confidence.High };
        return new PolicyEvaluator().Evaluate(rules, snapshot, authorship, RiskReport.Empty);
    }

    [Theory]
    [InlineData("/reviewbot override prod is down", CommandKind.Override, "prod is down")]
    [InlineData("Context first.\n  /REVIEWBOT override  two\nlines", CommandKind.Override, "two\nlines")]
    [InlineData("/reviewbot recheck", CommandKind.Recheck, "")]
    [InlineData("/reviewbot frobnicate", CommandKind.Unknown, "")]
    [InlineData("/reviewbotoverride x", CommandKind.None, "")]
    [InlineData("please run /reviewbot recheck", CommandKind.None, "")]
    [InlineData("To override, write:\n```\n/reviewbot override <reason>\n```", CommandKind.None, "")]
    [InlineData("~~~\n/reviewbot override shown\n~~~\n/reviewbot recheck", CommandKind.Recheck, "")]
    public void A_command_is_the_first_line_starting_with_reviewbot(string body, CommandKind kind, string argument)
    {
        var command = ReviewBotCommand.Parse(body);

        Assert.Equal(kind, command.Kind);
        Assert.Equal(argument, command.Argument);
    }

    [Fact]
    public void Overrides_errors_are_positioned_and_name_what_is_allowed()
    {
        var errors = RulesParser.Parse("""
            version: 1
            groups: { a: { users: [x] } }
            overrides:
              groups: [nobody]
              never: [no such rule]
              reason_required: maybe
              when: always
            rules:
              - name: r
            """, "r.yml").Errors.Select(e => e.ToString()).ToList();

        Assert.Contains("r.yml:4:12: undefined group 'nobody'; defined: a", errors);
        Assert.Contains("r.yml:5:11: 'never' names rule 'no such rule', which is not in 'rules:'; rules: r", errors);
        Assert.Contains(errors, e => e.StartsWith("r.yml:6:20: ", StringComparison.Ordinal) && e.Contains("reason_required", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("r.yml:7:3: unknown key 'when' in overrides; allowed: groups, users, teams, reason_required, never, author_can_override, initiator_can_override", StringComparison.Ordinal));
    }

    [Fact]
    public void The_organisation_layer_hook_marks_where_the_author_was_allowed_to_override()
    {
        Assert.Equal(SourcePosition.None, Rules().Overrides!.AuthorCanOverridePosition);
        Assert.Equal(9, Rules("author_can_override: true").Overrides!.AuthorCanOverridePosition.Line);
    }

    [Fact]
    public void An_allowed_override_after_the_push_lifts_the_unmet_approval_and_passes()
    {
        var decision = Evaluate(Rules(), Pushed, ("rita", "/reviewbot override outage", Pushed.AddMinutes(5)));

        Assert.Equal(DecisionState.Pass, decision.State);
        Assert.Equal("Overridden by rita: outage", decision.Title);
        Assert.Equal([$"{OverrideRules.Rule}: 1 approval from group reviewers"], decision.Override!.Lifted);
        Assert.True(decision.Summary.IndexOf("**Override**", StringComparison.Ordinal) is > 0 and var at && at < decision.Summary.IndexOf("**Rules", StringComparison.Ordinal), decision.Summary);
    }

    [Fact]
    public void An_edited_comment_is_never_a_command_since_others_can_edit_it()
    {
        var rules = Rules();
        var snapshot = PolicyContexts.Pr(PolicyContexts.File("src/a.cs")) with
        {
            Author = new Person { Login = "copilot-swe-agent[bot]", IsBot = true },
            HeadPushedAt = Pushed,
            Comments = [new Comment { Id = 1, Author = new Person { Login = "rita" }, Body = "/reviewbot override outage", CreatedAt = Pushed.AddMinutes(5), Edited = true }],
        };
        var authorship = new AuthorshipVerdict { Kind = AuthorshipKind.AiAuthored, Confidence = Confidence.High };

        var decision = new PolicyEvaluator().Evaluate(rules, snapshot, authorship, RiskReport.Empty);

        Assert.Null(decision.Override);
        Assert.Equal(DecisionState.Pending, decision.State);
        Assert.Contains("edited after it was posted", Assert.Single(decision.Commands).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Under_exclude_last_pusher_the_person_who_pushed_the_head_may_not_override_it()
    {
        var text = OverrideRules.Text().Replace("rules:\n", "defaults: { exclude_last_pusher: true }\nrules:\n", StringComparison.Ordinal);
        var parsed = RulesParser.Parse(text, "r.yml");
        Assert.True(parsed.IsValid, string.Join("\n", parsed.Errors));
        var snapshot = PolicyContexts.Pr(PolicyContexts.File("src/a.cs")) with
        {
            Author = new Person { Login = "copilot-swe-agent[bot]", IsBot = true },
            HeadPushedAt = Pushed,
            LastPush = new Push { Pusher = new Person { Login = "rita" }, Head = "head", At = Pushed, Source = "test" },
            Comments = [new Comment { Id = 1, Author = new Person { Login = "rita" }, Body = "/reviewbot override outage", CreatedAt = Pushed.AddMinutes(5) }],
        };
        var authorship = new AuthorshipVerdict { Kind = AuthorshipKind.AiAuthored, Confidence = Confidence.High };

        var decision = new PolicyEvaluator().Evaluate(parsed.Rules!, snapshot, authorship, RiskReport.Empty);

        Assert.Null(decision.Override);
        Assert.Contains("exclude_last_pusher", Assert.Single(decision.Commands).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_override_written_before_the_head_arrived_belongs_to_the_old_head()
    {
        var decision = Evaluate(Rules(), Pushed, ("rita", "/reviewbot override outage", Pushed.AddMinutes(-5)));

        Assert.Null(decision.Override);
        Assert.Empty(decision.Commands);
        Assert.Equal(DecisionState.Pending, decision.State);
    }

    [Fact]
    public void Without_the_time_of_the_head_no_override_counts()
    {
        var decision = Evaluate(Rules(), null, ("rita", "/reviewbot override outage", Pushed));

        Assert.Null(decision.Override);
        Assert.Contains("does not say when the current head was pushed", Assert.Single(decision.Commands).Text);
    }

    [Fact]
    public void Without_an_overrides_section_nobody_may_override()
    {
        var rules = Rules() with { Overrides = null };

        var decision = Evaluate(rules, Pushed, ("rita", "/reviewbot override outage", Pushed.AddMinutes(1)));

        Assert.Null(decision.Override);
        Assert.Contains("no 'overrides:' section", Assert.Single(decision.Commands).Text);
    }
}
