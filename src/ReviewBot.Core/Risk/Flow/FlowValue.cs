namespace ReviewBot.Core.Risk.Flow;

/// <summary>Where a value may come from, from harmless to dangerous; a merge of two paths keeps the worse.</summary>
public enum Origin
{
    /// <summary>Literals, consts, readonly fields given a literal, text built only from those.</summary>
    Constant = 0,

    /// <summary>Passed through an encoder, a numeric parse, an allow-list or a URI/path check.</summary>
    Sanitized = 1,

    /// <summary>A parameter of an ordinary method, a field, the result of a call the analysis does not know.</summary>
    Unknown = 2,

    /// <summary>Read from a source an attacker can write: request data, console, environment, files, sockets, databases, payloads.</summary>
    Tainted = 3,
}

/// <summary>The lines a value passed through on its way (most recent first), at most <see cref="MaxLength"/> of them.</summary>
public sealed record LineTrail(int Line, LineTrail? Previous, int Length)
{
    public const int MaxLength = 8;

    public static LineTrail? Add(LineTrail? trail, int line)
        => trail is not null && (trail.Line == line || trail.Length >= MaxLength) ? trail : new LineTrail(line, trail, (trail?.Length ?? 0) + 1);

    /// <summary>Lines in the order the value went through them.</summary>
    public IReadOnlyList<int> InOrder()
    {
        var lines = new List<int>();
        for (var t = this; t is not null; t = t.Previous)
        {
            lines.Add(t.Line);
        }

        lines.Reverse();
        return lines;
    }
}

/// <summary>
/// What the flow pass knows about a value: its <see cref="Origin"/>, what it came from (<see cref="From"/>: the source
/// read, the sanitizer, or the unknown name), the line of that, and the lines it passed through since.
/// </summary>
public sealed record FlowValue(Origin Origin, string From, int FromLine, LineTrail? Trail)
{
    public static FlowValue Constant { get; } = new(Origin.Constant, "constant", 0, null);

    /// <summary>A non-empty string literal: constant, and remembered as written text (a password or key in source).</summary>
    public static FlowValue Literal(string text, int line) => new(Origin.Constant, "the literal " + text, line, null);

    /// <summary>Constant text that comes from a string literal written in the member (not a const of the file, not a number).</summary>
    public bool IsLiteral => Origin == Origin.Constant && FromLine > 0;

    public static FlowValue Tainted(string source, int line) => new(Origin.Tainted, source, line, null);

    public static FlowValue Sanitized(string how, int line) => new(Origin.Sanitized, how, line, null);

    public static FlowValue Unknown(string what, int line) => new(Origin.Unknown, what, line, null);

    /// <summary>The same value, having passed through <paramref name="line"/>.</summary>
    public FlowValue Through(int line)
        => Origin == Origin.Constant || line == FromLine ? this : this with { Trail = LineTrail.Add(Trail, line) };

    /// <summary>The value of a path join: the worse origin (the first on a tie, but a literal over other constants).</summary>
    public static FlowValue Merge(FlowValue a, FlowValue b) => b.Origin > a.Origin || (b.IsLiteral && !a.IsLiteral && b.Origin == a.Origin) ? b : a;

    /// <summary>Lines passed through after the origin's own line, in order.</summary>
    public IReadOnlyList<int> Lines => Trail?.InOrder() ?? [];
}
