namespace ReviewBot.Git;

/// <summary>
/// A pull-request-like range: the change of <see cref="Head"/> against <see cref="Base"/>. Written
/// <c>BASE..HEAD</c> or <c>BASE...HEAD</c> (both mean the same here: commits in head but not in base, files
/// from the merge base to head, as on a pull request). An empty side means <c>HEAD</c>, as in git.
/// </summary>
public sealed record GitRange(string Base, string Head)
{
    public static GitRange Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new InvalidRangeException(text ?? "", "the range is empty");
        }

        var trimmed = text.Trim();
        var index = trimmed.IndexOf("...", StringComparison.Ordinal);
        var length = 3;
        if (index < 0)
        {
            index = trimmed.IndexOf("..", StringComparison.Ordinal);
            length = 2;
        }

        if (index < 0)
        {
            throw new InvalidRangeException(trimmed, "no '..' between the base and the head");
        }

        var baseRev = trimmed[..index];
        var headRev = trimmed[(index + length)..];
        if (baseRev.Length == 0 && headRev.Length == 0)
        {
            throw new InvalidRangeException(trimmed, "both sides are empty");
        }

        if (headRev.Contains("..", StringComparison.Ordinal))
        {
            throw new InvalidRangeException(trimmed, "more than one '..'");
        }

        foreach (var side in new[] { baseRev, headRev })
        {
            if (side.StartsWith('-') || side.Any(char.IsWhiteSpace))
            {
                throw new InvalidRangeException(trimmed, $"'{side}' is not a revision");
            }
        }

        return new GitRange(baseRev.Length == 0 ? "HEAD" : baseRev, headRev.Length == 0 ? "HEAD" : headRev);
    }

    public override string ToString() => $"{Base}..{Head}";
}
