using ReviewBot.Core.Authorship;
using ReviewBot.Core.Decisions;
using ReviewBot.Core.Risk;
using ReviewBot.Core.Risk.Analysis;

namespace ReviewBot.Core.Policy;

/// <summary>
/// The organisation layer (rules/README.md, "The organisation layer"): the organisation's file always applies and a
/// repository's file can only add to it. Pure: two parsed files in, the combined file or every refusal (positioned
/// in the repository's file) out. Per key:
/// <list type="bullet">
/// <item><c>rules</c>, <c>groups</c>: the repository adds; a name the organisation uses is refused.</item>
/// <item><c>agents</c>: the repository adds recognition; <c>automation_logins</c>/<c>automation_emails</c> are refused.</item>
/// <item><c>defaults</c>, <c>risk</c>: only what the repository sets counts, and only when it is at least as tight.</item>
/// <item><c>capabilities</c>: the organisation's profiles are fixed; the repository's are added after them (tried after
/// the organisation's); a name the organisation uses is refused.</item>
/// <item><c>overrides</c>: <c>author_can_override</c>/<c>initiator_can_override: true</c> are refused; <c>never</c> is the
/// union; who may override is the organisation's when it has the section (the repository may only narrow it), else the repository's.</item>
/// </list>
/// </summary>
public static class PolicyLayers
{
    /// <summary>Thresholds whose lower value finds more (the analysis limits <c>max_*</c> are the organisation's alone).</summary>
    private static readonly string[] LowerIsTighter = ["complexity", "change_lines", "change_lines_huge", "change_files", "change_directories", "score_low", "score_medium", "score_high", "score_critical"];

    /// <summary>Parses a repository's file under the organisation's (its rules may use the organisation's groups) and combines them.</summary>
    public static RulesParseResult Parse(RulesFile organisation, string repositoryText, string repositoryPath)
    {
        var parsed = RulesParser.Parse(repositoryText, repositoryPath, RulesLimits.Default, organisation.Groups);
        return parsed.IsValid ? Combine(organisation, parsed.Rules!) : parsed;
    }

    /// <summary>The combined policy, or the repository file's refusals (all of them, in file order).</summary>
    public static RulesParseResult Combine(RulesFile organisation, RulesFile repository)
    {
        var refusals = new Refusals(organisation, repository);
        var rules = Rules(organisation, repository, refusals);
        var groups = Groups(organisation, repository, refusals);
        var agents = Agents(organisation.Agents, repository, refusals);
        var defaults = Defaults(organisation, repository, refusals);
        var risk = Risk(organisation, repository, refusals);
        var capabilities = Capabilities(organisation, repository, refusals);
        var overrides = Overrides(organisation.Overrides, repository, refusals);
        if (refusals.Errors.Count > 0)
        {
            return new RulesParseResult(null, [.. refusals.Errors.OrderBy(e => e.Line).ThenBy(e => e.Column)]);
        }

        var positions = new Dictionary<string, SourcePosition>(organisation.Positions, StringComparer.OrdinalIgnoreCase);
        return new RulesParseResult(
            new RulesFile
            {
                Path = $"{organisation.Path} + {repository.Path}",
                Version = repository.Version,
                Groups = groups,
                Agents = agents,
                Defaults = defaults,
                Risk = risk,
                Rules = rules,
                Capabilities = capabilities,
                Overrides = overrides,
                Positions = positions,
            },
            []);
    }

    private static List<PolicyRule> Rules(RulesFile organisation, RulesFile repository, Refusals refusals)
    {
        foreach (var rule in repository.Rules)
        {
            if (organisation.Rules.FirstOrDefault(r => string.Equals(r.Name, rule.Name, StringComparison.OrdinalIgnoreCase)) is { } theirs)
            {
                refusals.Add(rule.Position, $"rule '{rule.Name}' is the organisation's ({refusals.At(theirs.Position)}); a repository may add rules but not change, replace or remove the organisation's: give yours another name");
            }
        }

        return [.. organisation.InLayer(RuleLayer.Organisation).Rules, .. repository.InLayer(RuleLayer.Repository).Rules];
    }

    private static List<CapabilityProfile> Capabilities(RulesFile organisation, RulesFile repository, Refusals refusals)
    {
        foreach (var profile in repository.Capabilities)
        {
            if (organisation.Capabilities.FirstOrDefault(p => string.Equals(p.Name, profile.Name, StringComparison.OrdinalIgnoreCase)) is { } theirs)
            {
                refusals.Add(profile.Position, $"capability profile '{profile.Name}' is the organisation's ({refusals.At(theirs.Position)}); a repository may add profiles (tried after the organisation's) but not change or replace the organisation's: give yours another name");
            }
        }

        return [.. organisation.InLayer(RuleLayer.Organisation).Capabilities, .. repository.InLayer(RuleLayer.Repository).Capabilities];
    }

    private static OverridePolicy? Overrides(OverridePolicy? organisation, RulesFile repository, Refusals refusals)
    {
        var theirs = repository.Overrides;
        if (theirs is { AuthorCanOverridePosition: var at } && at != SourcePosition.None)
        {
            var keys = string.Join(" and ", new[] { theirs.AuthorCanOverride ? "author_can_override" : null, theirs.InitiatorCanOverride ? "initiator_can_override" : null }.OfType<string>());
            refusals.Add(at, $"'{keys}: true' is refused in a repository's file: letting the people a rule is about lift it is the organisation's decision; ask for it in the organisation's file");
        }

        if (theirs is null)
        {
            return organisation;
        }

        static IReadOnlyList<string> Intersection(IReadOnlyList<string> a, IReadOnlyList<string> b) => [.. a.Where(x => b.Contains(x, StringComparer.OrdinalIgnoreCase))];
        if (organisation is null)
        {
            // Who may override is the repository's; the flags stay false (a true one was refused above).
            return theirs with { AuthorCanOverride = false, InitiatorCanOverride = false, AuthorCanOverridePosition = SourcePosition.None };
        }

        // Who may override is the organisation's; the repository's list can only narrow it (those in both).
        return organisation with
        {
            Groups = Intersection(organisation.Groups, theirs.Groups),
            Users = Intersection(organisation.Users, theirs.Users),
            Teams = Intersection(organisation.Teams, theirs.Teams),
            ReasonRequired = organisation.ReasonRequired || theirs.ReasonRequired,
            Never = Union(organisation.Never, theirs.Never),
        };
    }

    private static Dictionary<string, GroupDefinition> Groups(RulesFile organisation, RulesFile repository, Refusals refusals)
    {
        var groups = new Dictionary<string, GroupDefinition>(organisation.Groups, StringComparer.OrdinalIgnoreCase);
        foreach (var group in repository.Groups.Values)
        {
            if (organisation.Groups.TryGetValue(group.Name, out var theirs))
            {
                refusals.Add(group.Position, $"group '{group.Name}' is the organisation's ({refusals.At(theirs.Position)}); a repository may add groups but not redefine the organisation's: use it as it is, or define a group with another name");
                continue;
            }

            groups[group.Name] = group;
        }

        return groups;
    }

    private static AgentCatalogExtension Agents(AgentCatalogExtension organisation, RulesFile repository, Refusals refusals)
    {
        foreach (var key in new[] { "automation_logins", "automation_emails" })
        {
            refusals.IfSet($"agents.{key}", $"'agents.{key}': a repository may add agent recognition (logins, emails, trailers, branch_prefixes, labels) but not mark accounts as automation; that is the organisation's to say");
        }

        var theirs = repository.Agents;
        return organisation with
        {
            Logins = Union(organisation.Logins, theirs.Logins),
            Emails = Union(organisation.Emails, theirs.Emails),
            Trailers = Union(organisation.Trailers, theirs.Trailers),
            BranchPrefixes = Union(organisation.BranchPrefixes, theirs.BranchPrefixes),
            Labels = Union(organisation.Labels, theirs.Labels),
        };
    }

    private static PolicyDefaults Defaults(RulesFile organisation, RulesFile repository, Refusals refusals)
    {
        var org = organisation.Defaults;
        var repo = repository.Defaults;

        // Each key: the repository's value when it sets one that is at least as tight, else the organisation's.
        T Tighten<T>(string key, T orgValue, T repoValue, Func<T, int> tightness, Func<T, string> show)
        {
            if (!repository.Positions.ContainsKey($"defaults.{key}"))
            {
                return orgValue;
            }

            if (tightness(repoValue) < tightness(orgValue))
            {
                refusals.IfSet($"defaults.{key}", $"'{key}: {show(repoValue)}' is looser than the organisation's '{key}: {show(orgValue)}'{refusals.Where($"defaults.{key}")}; a repository may only tighten defaults");
                return orgValue;
            }

            return repoValue;
        }

        static string Flag(bool value) => value ? "true" : "false";
        static int MayNot(bool canApprove) => canApprove ? 0 : 1;
        return new PolicyDefaults
        {
            InvalidateOnPush = Tighten("invalidate_on_push", org.InvalidateOnPush, repo.InvalidateOnPush, PushTightness, PushValue),
            ExcludeLastPusher = Tighten("exclude_last_pusher", org.ExcludeLastPusher, repo.ExcludeLastPusher, b => b ? 1 : 0, Flag),
            AuthorCanApprove = Tighten("author_can_approve", org.AuthorCanApprove, repo.AuthorCanApprove, MayNot, Flag),
            InitiatorCanApprove = Tighten("initiator_can_approve", org.InitiatorCanApprove, repo.InitiatorCanApprove, MayNot, Flag),
            CommitAuthorsCanApprove = Tighten("commit_authors_can_approve", org.CommitAuthorsCanApprove, repo.CommitAuthorsCanApprove, MayNot, Flag),
        };
    }

    private static int PushTightness(PushInvalidation value) => value switch
    {
        PushInvalidation.Never => 0,
        PushInvalidation.WhenDiffChanges => 1,
        _ => 2,
    };

    private static string PushValue(PushInvalidation value) => value switch
    {
        PushInvalidation.Never => "false",
        PushInvalidation.WhenDiffChanges => RulesKeys.WhenDiffChanges,
        _ => "true",
    };

    private static RiskOptions Risk(RulesFile organisation, RulesFile repository, Refusals refusals)
    {
        var org = organisation.Risk;
        var repo = repository.Risk;

        var disabled = org.Disabled;
        if (repository.Positions.ContainsKey("risk.disabled"))
        {
            foreach (var id in repo.Disabled.Where(id => !org.Disabled.Contains(id, StringComparer.OrdinalIgnoreCase)))
            {
                refusals.IfSet($"risk.disabled.{id}", $"disabling risk rule {id} is refused: the organisation's rules run it; a repository may only tighten risk (it may re-enable rules the organisation disabled)");
            }

            disabled = [.. repo.Disabled.Where(id => org.Disabled.Contains(id, StringComparer.OrdinalIgnoreCase))];
        }

        var severities = new Dictionary<string, Severity>(org.Severities, StringComparer.OrdinalIgnoreCase);
        foreach (var (id, severity) in repo.Severities)
        {
            var theirs = org.Severities.TryGetValue(id, out var set) ? set : RiskRuleCatalog.Find(id)?.Severity ?? Severity.Info;
            if (severity < theirs)
            {
                refusals.IfSet($"risk.severities.{id}", $"severity of {id} '{Name(severity)}' is lower than the organisation's '{Name(theirs)}'; a repository may only raise severities");
                continue;
            }

            severities[id] = severity;
        }

        var thresholds = new Dictionary<string, double>(org.Thresholds, StringComparer.Ordinal);
        foreach (var (name, value) in repo.Thresholds)
        {
            var theirs = org.Thresholds.TryGetValue(name, out var set) ? set : RiskThresholds.Defaults.GetValueOrDefault(name);
            if (!LowerIsTighter.Contains(name))
            {
                refusals.IfSet($"risk.thresholds.{name}", $"threshold '{name}' is an analysis limit the organisation sets; a repository may only lower {string.Join(", ", LowerIsTighter)}");
            }
            else if (value > theirs)
            {
                refusals.IfSet($"risk.thresholds.{name}", $"threshold '{name}: {value}' is higher (looser) than the organisation's {theirs}; a repository may only lower it");
            }
            else
            {
                thresholds[name] = value;
            }
        }

        var includeGenerated = org.IncludeGenerated;
        if (repository.Positions.ContainsKey("risk.include_generated"))
        {
            if (org.IncludeGenerated && !repo.IncludeGenerated)
            {
                refusals.IfSet("risk.include_generated", "'include_generated: false' is looser than the organisation's 'include_generated: true'; a repository may only include generated code more");
            }
            else
            {
                includeGenerated = repo.IncludeGenerated;
            }
        }

        refusals.IfSet("risk.ignore", "'risk.ignore' is refused under an organisation's rules: ignoring a risk rule on some paths loosens the organisation's analysis; ask for the entry in the organisation's file");
        return org with
        {
            Disabled = disabled,
            Severities = severities,
            SensitivePaths = [.. org.SensitivePaths.Concat(repo.SensitivePaths).Distinct(StringComparer.Ordinal)],
            Thresholds = thresholds,
            IncludeGenerated = includeGenerated,
        };
    }

    private static IReadOnlyList<string> Union(IReadOnlyList<string> a, IReadOnlyList<string> b) => [.. a.Concat(b).Distinct(StringComparer.OrdinalIgnoreCase)];

    private static string Name(Severity severity) => RulesKeys.Severities[(int)severity];

    /// <summary>Collects refusals, positioned in the repository's file.</summary>
    private sealed class Refusals(RulesFile organisation, RulesFile repository)
    {
        public List<RulesError> Errors { get; } = [];

        public void Add(SourcePosition position, string message)
            => Errors.Add(new RulesError(repository.Path, position.Line, position.Column, message));

        /// <summary>Refuses the key when the repository's file sets it.</summary>
        public void IfSet(string key, string message)
        {
            if (repository.Positions.TryGetValue(key, out var position))
            {
                Add(position, message);
            }
        }

        /// <summary>"org.yml:12:5": where the organisation's file says it.</summary>
        public string At(SourcePosition position) => $"{organisation.Path}:{position.Line}:{position.Column}";

        /// <summary>" (org.yml:12:5)" when the organisation's file sets the key, else "" (its value is the default).</summary>
        public string Where(string key) => organisation.Positions.TryGetValue(key, out var position) ? $" ({At(position)})" : "";
    }
}
