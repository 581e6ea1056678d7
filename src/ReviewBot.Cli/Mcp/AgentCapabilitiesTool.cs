using System.ComponentModel;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using ReviewBot.Cli.Commands;
using ReviewBot.Core.Authorship;
using ReviewBot.Core.Decisions;
using ReviewBot.Core.Pipeline;
using ReviewBot.Core.Policy;
using ReviewBot.Core.Snapshot;
using ReviewBot.Git;
using ReviewBot.Pipeline.Rules;

namespace ReviewBot.Cli.Mcp;

/// <summary>
/// <c>agent_capabilities</c>: which capability profile of a repository's rules (the organisation's and the repository's,
/// layered as the check layers them) governs an agent with the identity the caller declares, and its limits, so the
/// agent can stay inside them before it writes the change. Advisory: nobody vouched for the declared identity.
/// </summary>
[McpServerToolType]
internal sealed class AgentCapabilitiesTool(McpRepositories repositories)
{
    [McpServerTool(Name = "agent_capabilities", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("The capability profile that governs an agent's changes in a repository, and its limits (paths, branches, size, dependencies, tests, CI, rules, agent configuration; each blocks or needs an approval by a group). Give the agent id and, when known, who dispatched it and their groups. Advisory.")]
    public Task<CallToolResult> CapabilitiesAsync(
        [Description("A repository this server serves (its configured name); over stdio also a local path.")] string repository,
        [Description("The agent's id as the rules name agents, e.g. copilot, codex, claude.")] string agent,
        [Description("The login of the human who dispatched the agent; without it the strictest profile that could apply governs.")] string? initiator = null,
        [Description("Groups (names from the rules' groups:) the initiator belongs to, beyond those that list them.")] string[]? initiatorGroups = null,
        [Description("The ref whose rules apply (the branch the change will target). Default: HEAD.")] string? @base = null,
        CancellationToken cancellationToken = default)
        => ToolAnswer.RunAsync(async () =>
        {
            if (string.IsNullOrWhiteSpace(agent))
            {
                throw new UsageException("agent: give the agent's id (e.g. copilot, codex)");
            }

            var git = await GitRepository.OpenAsync(repositories.PathOf(repository), cancellationToken);
            var baseRef = @base ?? "HEAD";
            var baseSha = await git.ResolveCommitAsync(baseRef, cancellationToken);
            var snapshot = new PullRequestSnapshot
            {
                Platform = Platform.Local,
                Repository = repository,
                Author = new Person { Login = agent.Trim() },
                BaseRef = baseRef,
                BaseSha = baseSha,
                HeadRef = baseRef,
                HeadSha = baseSha,
            };
            var located = await RulesLocator.LocateAsync(snapshot, LocalRules.Location(git, null), cancellationToken);
            var parsed = ReviewEngine.Rules(located.Organisation, located.RepositoryLayer);
            if (parsed is null || !parsed.IsValid)
            {
                var errors = parsed?.Errors.Select(e => e.ToString()) ?? [];
                throw new UsageException("the rules have errors, so no profile can be chosen: " + string.Join("; ", errors));
            }

            var rules = parsed.Rules!;
            var declared = string.IsNullOrWhiteSpace(initiator) ? null : initiator.Trim();
            var authorship = new AuthorshipVerdict
            {
                Kind = AuthorshipKind.AiAuthored,
                Agents = [agent.Trim()],
                Initiator = declared,
                InitiatorConfidence = declared is null ? null : Confidence.High,
                Confidence = Confidence.High,
                Reason = "declared by the caller",
            };
            var assessment = CapabilityEvaluator.Declared(rules, authorship, ResolvedMembership.None.GroupMembers(rules), initiatorGroups ?? []);
            return new CapabilitiesAnswer(
                Advisory,
                rules.Path,
                assessment?.Profile is { } profile ? Describe(profile) : null,
                assessment?.Reason ?? "the rules define no capability profiles: an agent's change is limited only by the rules");
        });

    public const string Advisory =
        "advisory: chosen with the identity the caller declared, which nobody verified; on the pull request the platform's facts choose the profile, and an unidentified initiator gets the strictest";

    private static GoverningProfile Describe(CapabilityProfile profile)
    {
        var limits = new List<ProfileLimit>();
        void Limit(string key, string? value, CapabilityOutcome outcome)
        {
            if (value is not null)
            {
                limits.Add(new ProfileLimit(key, value, outcome.Blocks ? "block" : "approval", outcome.Approval?.Group));
            }
        }

        Limit("paths.allow", profile.AllowedPaths?.Describe(), profile.Exceed);
        Limit("paths.deny", profile.DeniedPaths?.Describe(), profile.Exceed);
        Limit("target_branches", profile.TargetBranches?.Describe(), profile.Exceed);
        Limit("max_changed_lines", profile.MaxChangedLines?.ToString(System.Globalization.CultureInfo.InvariantCulture), profile.Exceed);
        Limit("max_changed_files", profile.MaxChangedFiles?.ToString(System.Globalization.CultureInfo.InvariantCulture), profile.Exceed);
        foreach (var (capability, outcome) in profile.Denied.OrderBy(p => p.Key))
        {
            Limit(RulesKeys.CapabilityKey(capability), "not allowed", outcome);
        }

        return new GoverningProfile(profile.Name, profile.Layer, CapabilityAssessment.Named(profile), limits);
    }
}

/// <summary>The answer of <c>agent_capabilities</c> (docs/mcp.md).</summary>
public sealed record CapabilitiesAnswer(string Advisory, string Rules, GoverningProfile? Profile, string Reason);

/// <summary>The governing profile: its name, the rules file it came from, and every limit it sets.</summary>
public sealed record GoverningProfile(string Name, RuleLayer Layer, string ShownAs, IReadOnlyList<ProfileLimit> Limits);

/// <summary>One limit: the key, its value, and what going past it does (block, or an approval by <c>Group</c>).</summary>
public sealed record ProfileLimit(string Key, string Value, string Exceed, string? Group);
