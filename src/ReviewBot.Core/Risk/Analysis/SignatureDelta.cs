namespace ReviewBot.Core.Risk.Analysis;

/// <summary>
/// What changed between two API signatures (as <see cref="MemberVersion.Signature"/> writes them): the smallest
/// differing stretch of tokens, widened to whole parameters, so a finding says "`string name` → `string? name`"
/// instead of printing both signatures. A lone identifier replaced by another is a type (or name) rename: its
/// cause is shared by every signature it touches.
/// </summary>
internal static class SignatureDelta
{
    public static (string Before, string After, string? RenameCause) Of(string before, string after)
    {
        var a = Tokens(before);
        var b = Tokens(after);
        var prefix = 0;
        while (prefix < a.Count && prefix < b.Count && a[prefix] == b[prefix])
        {
            prefix++;
        }

        var suffix = 0;
        while (suffix < a.Count - prefix && suffix < b.Count - prefix && a[^(suffix + 1)] == b[^(suffix + 1)])
        {
            suffix++;
        }

        var oldPart = a.GetRange(prefix, a.Count - prefix - suffix);
        var newPart = b.GetRange(prefix, b.Count - prefix - suffix);
        if (oldPart.Count == 1 && newPart.Count == 1 && IsIdentifier(oldPart[0]) && IsIdentifier(newPart[0]))
        {
            return (oldPart[0], newPart[0], $"rename:{oldPart[0]}→{newPart[0]}");
        }

        // Widen to whole parameters (or the whole header part before the parameter list).
        var start = prefix;
        while (start > 0 && a[start - 1] is not ("," or "("))
        {
            start--;
        }

        var endA = a.Count - suffix;
        var endB = b.Count - suffix;
        while (endA < a.Count && endB < b.Count && a[endA] is not ("," or ")"))
        {
            endA++;
            endB++;
        }

        return (Join(a, start, endA), Join(b, start, endB), null);
    }

    /// <summary>
    /// Whether the head signature only adds what breaks no caller or implementer compiled against the base: the member
    /// made <c>virtual</c>, or interfaces and base types added to a type's base list (an enum's underlying type is no
    /// such list). Removing either still counts as a change.
    /// </summary>
    public static bool OnlyWidens(string before, string after, MemberKind kind, bool requiresImplementation = false)
    {
        if (kind is MemberKind.Property or MemberKind.Indexer && !requiresImplementation && AccessorsAdded(before, after))
        {
            return true;
        }

        var a = Tokens(before);
        var b = Tokens(after);
        if (b.Contains("virtual") && !a.Contains("virtual"))
        {
            b.Remove("virtual");
        }

        if (a.SequenceEqual(b))
        {
            return true;
        }

        if (kind != MemberKind.Type || a.FirstOrDefault() == "enum")
        {
            return false;
        }

        var (headA, basesA) = SplitBaseList(a);
        var (headB, basesB) = SplitBaseList(b);

        // A base added to an interface brings its members to every implementer: that breaks them.
        return headA.SequenceEqual(headB) && basesA.All(basesB.Contains) && (basesA.Count == basesB.Count || !headA.Contains("interface"));
    }

    /// <summary>
    /// The property or indexer kept its type, parameters and accessors and gained accessors (<c>{ get; }</c> →
    /// <c>{ get; set; }</c> or <c>init</c>): every caller and overrider still compiles. Not for abstract or interface
    /// members (<paramref name="before"/>'s implementers would have to add the accessor). A signature is
    /// "modifiers type [parameters] accessor;accessor…", the accessors being the only ';'-separated part.
    /// </summary>
    private static bool AccessorsAdded(string before, string after)
    {
        var old = before.Split(';');
        var now = after.Split(';');
        return now.Length > old.Length && old.All(now.Contains);
    }

    /// <summary>A type signature's tokens before its base list, and the base list's entries (split at top-level commas).</summary>
    private static (List<string> Head, List<string> Bases) SplitBaseList(List<string> tokens)
    {
        var depth = 0;
        for (var i = 0; i < tokens.Count; i++)
        {
            depth += tokens[i] is "(" or "<" or "[" ? 1 : tokens[i] is ")" or ">" or "]" ? -1 : 0;
            if (depth == 0 && tokens[i] == ":")
            {
                var bases = new List<string>();
                var entry = new System.Text.StringBuilder();
                var level = 0;
                foreach (var t in tokens.Skip(i + 1))
                {
                    level += t is "(" or "<" or "[" ? 1 : t is ")" or ">" or "]" ? -1 : 0;
                    if (level == 0 && t == ",")
                    {
                        bases.Add(entry.ToString());
                        entry.Clear();
                    }
                    else
                    {
                        entry.Append(t).Append(' ');
                    }
                }

                bases.Add(entry.ToString());
                return (tokens.GetRange(0, i), bases);
            }
        }

        return (tokens, []);
    }

    private static string Join(List<string> tokens, int start, int end)
    {
        if (start >= end)
        {
            return "(nothing)";
        }

        var text = new System.Text.StringBuilder();
        for (var i = start; i < end; i++)
        {
            if (i > start && ((IsWordish(tokens[i]) && IsWordish(tokens[i - 1])) || tokens[i - 1] == ","))
            {
                text.Append(' ');
            }

            text.Append(tokens[i]);
        }

        var joined = text.ToString();
        return joined.Length > 120 ? joined[..117] + "..." : joined;
    }

    private static List<string> Tokens(string signature)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < signature.Length)
        {
            var c = signature[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (IsWordChar(c))
            {
                var start = i;
                while (i < signature.Length && IsWordChar(signature[i]))
                {
                    i++;
                }

                tokens.Add(signature[start..i]);
            }
            else
            {
                tokens.Add(c.ToString());
                i++;
            }
        }

        return tokens;
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '@' or '.';

    private static bool IsWordish(string token) => token.Length > 0 && IsWordChar(token[0]);

    private static bool IsIdentifier(string token) => token.Length > 0 && (char.IsLetter(token[0]) || token[0] == '_') && !Keywords.Contains(token);

    private static readonly HashSet<string> Keywords =
    [
        "public", "protected", "internal", "private", "static", "virtual", "override", "abstract", "sealed", "readonly", "async",
        "new", "extern", "unsafe", "partial", "required", "ref", "out", "in", "params", "this", "const", "volatile", "get", "set", "init",
        "class", "struct", "record", "interface", "enum", "void",
    ];
}
