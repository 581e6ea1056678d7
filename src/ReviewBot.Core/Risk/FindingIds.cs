using System.Security.Cryptography;
using System.Text;
using ReviewBot.Core.Snapshot;

namespace ReviewBot.Core.Risk;

/// <summary>
/// The ids of a change's findings (<see cref="Finding.Id"/>): <c>RB3002-1a2b3c</c>, the rule id and six hex digits of a
/// SHA-256 over the rule id, the side, the path and the code the finding points at with its whitespace collapsed (the
/// message with its digits removed when there is no code). Line numbers are not in it, so the id of a finding stays the
/// same when unrelated lines move it. Findings that would share an id (the same rule on the same code in one file) are
/// told apart in line order: the first keeps it, the next ones get <c>.2</c>, <c>.3</c>, ….
/// </summary>
public static class FindingIds
{
    /// <summary>The findings with their ids, in the order given.</summary>
    public static IReadOnlyList<Finding> Assign(IReadOnlyList<Finding> findings)
    {
        var result = findings.ToArray();
        var byId = Enumerable.Range(0, result.Length)
            .GroupBy(i => Of(result[i]), StringComparer.Ordinal);
        foreach (var same in byId)
        {
            var ordinal = 0;
            foreach (var i in same.OrderBy(i => result[i].StartLine).ThenBy(i => i))
            {
                ordinal++;
                result[i] = result[i] with { Id = ordinal == 1 ? same.Key : $"{same.Key}.{ordinal}" };
            }
        }

        return result;
    }

    /// <summary>Whether <paramref name="typed"/> names the finding (case-insensitive; surrounding backticks are ignored).</summary>
    public static bool Names(Finding finding, string typed)
        => finding.Id.Length > 0 && string.Equals(finding.Id, typed.Trim().Trim('`'), StringComparison.OrdinalIgnoreCase);

    private static string Of(Finding finding)
    {
        var anchor = finding.Code is { Length: > 0 } code ? Collapse(code) : new string([.. finding.Message.Where(c => !char.IsAsciiDigit(c))]);
        var text = string.Join('\n', finding.RuleId, finding.Side == Side.Base ? "base" : "head", finding.Path, anchor);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        return $"{finding.RuleId}-{Convert.ToHexStringLower(hash, 0, 3)}";
    }

    private static string Collapse(string code)
        => string.Join(' ', code.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
