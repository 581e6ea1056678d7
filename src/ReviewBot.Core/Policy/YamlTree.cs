using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ReviewBot.Core.Policy;

/// <summary>A YAML node with the position it started at. Built from parser events so every error can be positioned.</summary>
internal abstract record YamlNode(SourcePosition Position)
{
    public abstract string KindName { get; }
}

internal sealed record YamlScalar(SourcePosition Position, string Value, bool Plain) : YamlNode(Position)
{
    /// <summary>A plain <c>~</c>, <c>null</c> or nothing at all.</summary>
    public bool IsNull => Plain && Value is "" or "~" or "null" or "Null" or "NULL";

    public override string KindName => IsNull ? "nothing" : "a text value";
}

internal sealed record YamlSequence(SourcePosition Position, IReadOnlyList<YamlNode> Items) : YamlNode(Position)
{
    public override string KindName => "a list";
}

internal sealed record YamlMapping(SourcePosition Position, IReadOnlyList<KeyValuePair<YamlScalar, YamlNode>> Entries) : YamlNode(Position)
{
    public override string KindName => "a mapping";
}

/// <summary>Limits that keep hostile documents cheap to reject.</summary>
public sealed record RulesLimits
{
    /// <summary>Largest rules file accepted, in characters.</summary>
    public int MaxCharacters { get; init; } = 256 * 1024;

    /// <summary>Deepest nesting of lists and mappings.</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>Most YAML nodes (scalars, lists, mappings) in one file.</summary>
    public int MaxNodes { get; init; } = 20_000;

    public static RulesLimits Default { get; } = new();
}

/// <summary>
/// Reads YAML text into <see cref="YamlNode"/>s at the event level, iteratively (no recursion), refusing
/// anchors and aliases, and stopping at the first limit crossed.
/// </summary>
internal static partial class YamlTreeReader
{
    public static YamlNode? Read(string text, RulesLimits limits, List<(SourcePosition Position, string Message)> errors)
    {
        if (text.Length > limits.MaxCharacters)
        {
            errors.Add((new SourcePosition(1, 1), $"the rules file is {text.Length / 1024} KiB; the limit is {limits.MaxCharacters / 1024} KiB"));
            return null;
        }

        var progress = new Progress();
        try
        {
            return Build(new Parser(new StringReader(text)), limits, errors, progress);
        }
        catch (Exception ex) when (ex is not YamlException and (InvalidOperationException or ArgumentException or IndexOutOfRangeException or FormatException or OverflowException))
        {
            // The YAML library failed on malformed input it should have reported: still an error value, never a crash.
            errors.Add((progress.Last, $"invalid YAML after this point (the YAML reader failed: {ex.Message})"));
            return null;
        }
        catch (YamlException ex)
        {
            var message = ex.InnerException is { } inner && ex.Message.Contains("See inner", StringComparison.OrdinalIgnoreCase) ? inner.Message : ex.Message;
            var mark = ex.Start.Line > 0 ? ex.Start : ex.End;
            var position = new SourcePosition((int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column));
            if (message.Contains("tab", StringComparison.OrdinalIgnoreCase) && FirstIndentingTab(text) is { } tab)
            {
                errors.Add((tab, "a tab is used for indentation; YAML indents with spaces only"));
                return null;
            }

            errors.Add((position, "invalid YAML: " + Clean(message) + Hint(text, position.Line, message)));
            return null;
        }
    }

    private static string Clean(string message)
    {
        // YamlDotNet prefixes messages with "(Line: a, Col: b, Idx: c) - (Line: ...): "; the position is reported separately.
        var i = message.LastIndexOf("): ", StringComparison.Ordinal);
        return i >= 0 && message.StartsWith("(Line", StringComparison.Ordinal) ? message[(i + 3)..] : message;
    }

    /// <summary>A short hint for the usual causes of a syntax error on that line.</summary>
    private static string Hint(string text, int line, string message)
    {
        var content = text.Split('\n').ElementAtOrDefault(line - 1) ?? "";
        var special = UnquotedSpecial().Match(content);
        if (special.Success)
        {
            var value = special.Groups[1].Value.Trim().TrimEnd('}', ',', ' ');
            return $" (a value starting with '{value[0]}' must be quoted: \"{value}\")";
        }

        return message.Contains("indicator", StringComparison.Ordinal) || message.Contains("invalid mapping", StringComparison.Ordinal)
            ? " (check the indentation and that every 'key: value' has a space after the colon)"
            : "";
    }

    private static SourcePosition? FirstIndentingTab(string text)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var indent = lines[i].Length - lines[i].TrimStart(' ', '\t').Length;
            var tab = lines[i].IndexOf('\t', StringComparison.Ordinal);
            if (tab >= 0 && tab < indent)
            {
                return new SourcePosition(i + 1, tab + 1);
            }
        }

        return null;
    }

    [GeneratedRegex(@":\s+([>|<!%@`][^,}\]]*)")]
    private static partial Regex UnquotedSpecial();

    private static SourcePosition At(ParsingEvent e) => new((int)e.Start.Line, (int)e.Start.Column);

    /// <summary>Where reading had got to (the start of the last event), for errors the library does not position.</summary>
    private sealed class Progress
    {
        public SourcePosition Last { get; set; } = new(1, 1);
    }

    private static YamlNode? Build(IParser parser, RulesLimits limits, List<(SourcePosition, string)> errors, Progress progress)
    {
        var stack = new Stack<Frame>();
        YamlNode? root = null;
        var documents = 0;
        var nodes = 0;

        while (parser.MoveNext())
        {
            var e = parser.Current!;
            progress.Last = At(e);
            YamlNode? completed = null;
            switch (e)
            {
                case StreamStart or StreamEnd or DocumentEnd:
                    continue;
                case DocumentStart:
                    if (++documents > 1)
                    {
                        errors.Add((At(e), "a rules file holds one YAML document; remove the '---' separator and what follows"));
                        return null;
                    }

                    continue;
                case AnchorAlias alias:
                    var glob = alias.Value.ToString().IndexOfAny(['.', '/', '*', '{', '[']) >= 0 ? $" (a glob starting with '*' must be quoted: \"*{alias.Value}\")" : "";
                    errors.Add((At(e), $"aliases (*{alias.Value}) are not allowed in rules files; write the value out{glob}"));
                    return null;
                case Comment:
                    continue;
            }

            if (e is NodeEvent { Anchor.IsEmpty: false } anchored)
            {
                errors.Add((At(e), $"anchors (&{anchored.Anchor}) are not allowed in rules files; write the value out"));
            }

            if (e is Scalar or MappingStart or SequenceStart && ++nodes > limits.MaxNodes)
            {
                errors.Add((At(e), $"the rules file has more than {limits.MaxNodes} values; the limit is {limits.MaxNodes}"));
                return null;
            }

            switch (e)
            {
                case Scalar scalar:
                    completed = new YamlScalar(At(e), scalar.Value, scalar.Style == ScalarStyle.Plain);
                    break;
                case MappingStart or SequenceStart:
                    if (stack.Count >= limits.MaxDepth)
                    {
                        errors.Add((At(e), $"nesting deeper than {limits.MaxDepth} levels is not allowed"));
                        return null;
                    }

                    stack.Push(new Frame(At(e), e is MappingStart));
                    continue;
                case MappingEnd or SequenceEnd:
                    var frame = stack.Pop();
                    completed = frame.Complete();
                    break;
            }

            if (completed is null)
            {
                continue;
            }

            if (stack.Count == 0)
            {
                root = completed;
            }
            else if (!stack.Peek().Add(completed, errors))
            {
                return null;
            }
        }

        return root;
    }

    private sealed class Frame(SourcePosition position, bool isMapping)
    {
        private readonly List<YamlNode> items = [];
        private readonly List<KeyValuePair<YamlScalar, YamlNode>> entries = [];
        private readonly Dictionary<string, SourcePosition> seen = new(StringComparer.Ordinal);
        private YamlScalar? pendingKey;

        public bool Add(YamlNode node, List<(SourcePosition, string)> errors)
        {
            if (!isMapping)
            {
                items.Add(node);
                return true;
            }

            if (pendingKey is null)
            {
                if (node is not YamlScalar key)
                {
                    errors.Add((node.Position, "mapping keys must be plain names, not lists or mappings"));
                    return false;
                }

                pendingKey = key;
                return true;
            }

            if (seen.TryGetValue(pendingKey.Value, out var first))
            {
                errors.Add((pendingKey.Position, $"duplicate key '{pendingKey.Value}' (first at line {first.Line})"));
            }
            else
            {
                seen[pendingKey.Value] = pendingKey.Position;
                entries.Add(new(pendingKey, node));
            }

            pendingKey = null;
            return true;
        }

        public YamlNode Complete()
            => isMapping ? new YamlMapping(position, entries) : new YamlSequence(position, items);
    }
}
