using System.ComponentModel;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using ReviewBot.Core.Decisions;
using ReviewBot.Core.Snapshot;
using ReviewBot.Pipeline.Ports;

namespace ReviewBot.Cli.Mcp;

/// <summary><c>explain_review</c>: the newest recorded decision on one pull/merge request, from the audit store.</summary>
[McpServerToolType]
internal sealed class ExplainReviewTool(IServiceProvider services)
{
    [McpServerTool(Name = "explain_review", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("The decision ReviewBot recorded for a pull request (GitHub) or merge request (GitLab): why it passed, is pending or failed, with authorship evidence and risk findings. From the audit log; the newest record for that number.")]
    public Task<CallToolResult> ExplainAsync(
        [Description("github or gitlab.")] string platform,
        [Description("owner/name (GitHub) or group/project (GitLab).")] string repository,
        [Description("The pull/merge request number (IID on GitLab).")] long number,
        CancellationToken cancellationToken = default)
        => ToolAnswer.RunAsync(async () =>
        {
            var store = services.GetService(typeof(IAuditStore)) as IAuditStore
                        ?? throw new UsageException("this server has no audit store (stdio: pass --db PATH to `reviewbot mcp`)");
            if (string.IsNullOrWhiteSpace(platform) || string.IsNullOrWhiteSpace(repository) || number <= 0)
            {
                throw new UsageException("give platform (github or gitlab), repository (owner/name) and a pull/merge request number above 0");
            }

            var wanted = Platform.Parse(platform);
            var records = await store.ListAsync(new AuditQuery { Repository = repository.Trim(), Number = number, Limit = 0 }, cancellationToken);
            var record = records.FirstOrDefault(r => Platform.Parse(r.Platform) == wanted)
                         ?? throw new UsageException($"no recorded decision for {wanted.Id} {repository}#{number}");
            var explanation = record.Decision is { } decision
                ? DecisionRenderer.Text(decision, Sections(record))
                : $"no decision: the evaluation failed ({record.Error ?? "no error recorded"})";
            return new ReviewExplanation(explanation, record);
        });

    private static IEnumerable<ExplanationSection> Sections(AuditRecord record)
    {
        if (record.Authorship is { } authorship)
        {
            yield return DecisionRenderer.Authorship(authorship);
        }

        if (record.Risk is { } risk)
        {
            yield return DecisionRenderer.Risk(risk);
        }
    }
}

/// <summary>The answer of <c>explain_review</c>: the decision as text, and the audit record as <c>reviewbot audit show --json</c> prints it.</summary>
public sealed record ReviewExplanation(string Explanation, AuditRecord Record);
