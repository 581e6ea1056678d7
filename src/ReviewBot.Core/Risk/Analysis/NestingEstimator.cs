namespace ReviewBot.Core.Risk.Analysis;

/// <summary>
/// Estimates, before parsing and in one linear pass over the text, how deeply C# source nests: brackets
/// (<c>( [ {</c>) outside comments, strings and char literals, plus one level per interpolated string and one per
/// interpolation hole. Roslyn's parser is super-linear in time and memory on deep nesting (nested parentheses,
/// interpolations), so a file nested past the budget is refused before it reaches the parser. Unbalanced closers are
/// ignored; unclosed openers count (an over-estimate errs towards refusing, never towards parsing).
/// The scan's own recursion (into interpolation holes) stops at the limit, so it cannot be driven deep either.
/// </summary>
internal static class NestingEstimator
{
    /// <summary>The estimated nesting depth, or a value above <paramref name="limit"/> as soon as it is exceeded.</summary>
    public static int Estimate(string text, int limit)
    {
        var scan = new Scan(text, limit);
        var i = 0;
        scan.Code(ref i, 0, inHole: false);
        return scan.Max;
    }

    private sealed class Scan(string text, int limit)
    {
        /// <summary>The characters code mode acts on; everything between is skipped by one vectorised search.</summary>
        private static readonly System.Buffers.SearchValues<char> CodeStops = System.Buffers.SearchValues.Create("/'\"@$([{)]}");

        private static readonly System.Buffers.SearchValues<char> HoleStops = System.Buffers.SearchValues.Create("/'\"@$([{)]}:");

        private static readonly System.Buffers.SearchValues<char> StringStops = System.Buffers.SearchValues.Create("\\\"{\n");

        public int Max { get; private set; }

        private bool Over => Max > limit;

        /// <summary>Code until the end, or (in a hole) until the <c>}</c> that closes the hole, left at <paramref name="i"/>.</summary>
        public void Code(ref int i, int depth, bool inHole)
        {
            var local = 0;
            var stops = inHole ? HoleStops : CodeStops;
            while (i < text.Length && !Over)
            {
                var skip = text.AsSpan(i).IndexOfAny(stops);
                if (skip < 0)
                {
                    i = text.Length;
                    return;
                }

                i += skip;
                var c = text[i];
                var next = i + 1 < text.Length ? text[i + 1] : '\0';
                switch (c)
                {
                    case '/' when next == '/':
                        SkipTo(ref i, "\n");
                        continue;
                    case '/' when next == '*':
                        i += 2;
                        SkipTo(ref i, "*/");
                        continue;
                    case '\'':
                        SkipCharLiteral(ref i);
                        continue;
                    case '"' or '@' or '$' when StringStart(i) is { } start:
                        String(ref i, depth + local, start);
                        continue;
                    case '(' or '[' or '{':
                        local++;
                        Max = Math.Max(Max, depth + local);
                        break;
                    case ')' or ']' or '}':
                        if (local == 0 && inHole && c == '}')
                        {
                            return;
                        }

                        local = Math.Max(0, local - 1);
                        break;
                    case ':' when inHole && local == 0 && next != ':' && (i == 0 || text[i - 1] != ':'):
                        // A format specifier: text up to the hole's closing brace.
                        while (i < text.Length && text[i] != '}')
                        {
                            i++;
                        }

                        return;
                }

                i++;
            }
        }

        private readonly record struct Start(int Dollars, bool Verbatim, int Quotes, int Length);

        /// <summary>A string literal starts at <paramref name="i"/>: its <c>$</c> count, <c>@</c>, opening quotes and prefix length.</summary>
        private Start? StringStart(int i)
        {
            var j = i;
            var dollars = 0;
            var verbatim = false;
            while (j < text.Length && (text[j] == '$' || text[j] == '@'))
            {
                if (text[j] == '$')
                {
                    dollars++;
                }
                else
                {
                    verbatim = true;
                }

                j++;
            }

            if (j >= text.Length || text[j] != '"')
            {
                return null;
            }

            var quotes = 0;
            while (j + quotes < text.Length && text[j + quotes] == '"')
            {
                quotes++;
            }

            // "" is an empty string, """ opens a raw string.
            quotes = quotes >= 3 ? quotes : 1;
            return new Start(dollars, verbatim, quotes, j - i + quotes);
        }

        private void String(ref int i, int depth, Start start)
        {
            i += start.Length;
            var interpolated = start.Dollars > 0;
            var inner = depth + (interpolated ? 1 : 0);
            Max = Math.Max(Max, inner);
            var raw = start.Quotes >= 3;
            var holeBraces = raw ? Math.Max(1, start.Dollars) : 1;
            while (i < text.Length && !Over)
            {
                var skip = text.AsSpan(i).IndexOfAny(StringStops);
                if (skip < 0)
                {
                    i = text.Length;
                    return;
                }

                i += skip;
                var c = text[i];
                if (!raw && !start.Verbatim && c == '\\')
                {
                    i += 2;
                    continue;
                }

                if (!raw && !start.Verbatim && c == '\n')
                {
                    return; // an unterminated regular string ends at the line's end
                }

                if (c == '"')
                {
                    if (!raw)
                    {
                        if (start.Verbatim && i + 1 < text.Length && text[i + 1] == '"')
                        {
                            i += 2;
                            continue;
                        }

                        i++;
                        return;
                    }

                    if (Run(i, '"') >= start.Quotes)
                    {
                        i += start.Quotes;
                        return;
                    }

                    i++;
                    continue;
                }

                if (interpolated && c == '{')
                {
                    var braces = Run(i, '{');
                    if (!raw && braces >= 2)
                    {
                        i += 2; // {{ is a literal brace
                        continue;
                    }

                    if (braces >= holeBraces)
                    {
                        i += braces;
                        Code(ref i, inner + 1, inHole: true);
                        Max = Math.Max(Max, inner + 1);
                        if (i < text.Length && text[i] == '}')
                        {
                            i += Math.Min(holeBraces, Run(i, '}'));
                        }

                        continue;
                    }
                }

                i++;
            }
        }

        private int Run(int i, char c)
        {
            var n = 0;
            while (i + n < text.Length && text[i + n] == c)
            {
                n++;
            }

            return n;
        }

        private void SkipTo(ref int i, string end)
        {
            var at = text.IndexOf(end, i, StringComparison.Ordinal);
            i = at < 0 ? text.Length : at + end.Length;
        }

        private void SkipCharLiteral(ref int i)
        {
            i++;
            while (i < text.Length && text[i] != '\'' && text[i] != '\n')
            {
                i += text[i] == '\\' ? 2 : 1;
            }

            i++;
        }
    }
}
