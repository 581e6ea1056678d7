namespace ReviewBot.Core.Policy;

/// <summary>One owner named in CODEOWNERS: a user (<c>@alice</c>), a team or group (<c>@acme/billing</c>), or an email.</summary>
public sealed record CodeOwner(string Text)
{
    /// <summary>"org/team" (or a GitLab group path) for <c>@org/team</c>; null otherwise.</summary>
    public string? Team => Text.StartsWith('@') && Text.Contains('/') ? Text[1..] : null;

    /// <summary>The login for <c>@user</c>; null for teams and emails.</summary>
    public string? User => Text.StartsWith('@') && !Text.Contains('/') ? Text[1..] : null;

    /// <summary>The address for an email owner; null otherwise.</summary>
    public string? Email => !Text.StartsWith('@') && Text.Contains('@') ? Text : null;

    public override string ToString() => Text;
}

/// <summary>One pattern line: its glob, the owners it gives (none: the path is left unowned), and where it was written.</summary>
public sealed record CodeOwnersEntry(string Pattern, Glob Glob, IReadOnlyList<CodeOwner> Owners, int Line);

/// <summary>
/// A section of the file. GitHub's files have one unnamed section; GitLab's may have <c>[Name]</c> (required),
/// <c>^[Name]</c> (optional: never required) and <c>[Name][2]</c> (two approvals) sections, each with default
/// owners after the header for entries that name none.
/// </summary>
public sealed record CodeOwnersSection(string? Name, bool Optional, int Approvals, IReadOnlyList<CodeOwnersEntry> Entries);

/// <summary>Who must approve one path in one section: the owners of the last matching entry.</summary>
public sealed record PathOwnership(string Path, CodeOwnersSection Section, CodeOwnersEntry Entry);

/// <summary>
/// A parsed CODEOWNERS file (GitHub's syntax and GitLab's sections). Pure: the text comes from the base commit,
/// read at the edge. Patterns follow gitignore: a leading <c>/</c> or a <c>/</c> inside anchors the pattern at the
/// repository root, otherwise it matches at any depth; a pattern naming a directory owns everything beneath it,
/// except <c>dir/*</c>, which owns only the files directly in <c>dir</c> (GitHub's documented reading). Within a
/// section the LAST matching entry wins. Lines that cannot be read become <see cref="Problems"/> (line-numbered
/// notes), never exceptions: a broken line owns nothing. A file of <see cref="MaxBytes"/> or more is not parsed at all
/// (<see cref="Unreadable"/>): GitHub does not load such a file, and the change's base is no place to spend a budget on.
/// </summary>
public sealed class CodeOwnersFile
{
    private CodeOwnersFile(string path, IReadOnlyList<CodeOwnersSection> sections, IReadOnlyList<string> problems, string? unreadable = null)
    {
        Path = path;
        Sections = sections;
        Problems = problems;
        Unreadable = unreadable;
    }

    /// <summary>GitHub's size limit: "CODEOWNERS files must be under 3 MB in size"; a file over it is not loaded. Applied on every platform.</summary>
    public const int MaxBytes = 3 * 1024 * 1024;

    /// <summary>Where GitHub looks, in order (the first that exists wins).</summary>
    public static IReadOnlyList<string> GitHubLocations { get; } = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"];

    /// <summary>Where GitLab looks, in order (the first that exists wins).</summary>
    public static IReadOnlyList<string> GitLabLocations { get; } = ["CODEOWNERS", "docs/CODEOWNERS", ".gitlab/CODEOWNERS"];

    public string Path { get; }
    public IReadOnlyList<CodeOwnersSection> Sections { get; }

    /// <summary>"CODEOWNERS:7: ..." notes for lines that were skipped.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>Why the file was not read at all (too large); null when it was parsed. An unreadable file owns nothing and approves nothing: a codeowners requirement over it stays unmet.</summary>
    public string? Unreadable { get; }

    /// <summary>Every team named anywhere in the file (to resolve their members once).</summary>
    public IReadOnlyList<string> Teams => Sections.SelectMany(s => s.Entries).SelectMany(e => e.Owners)
        .Select(o => o.Team).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>For each section, the entry owning <paramref name="path"/> (the last that matches); sections where none matches are left out.</summary>
    public IEnumerable<PathOwnership> OwnersOf(string path)
    {
        foreach (var section in Sections)
        {
            if (section.Entries.LastOrDefault(e => e.Glob.IsMatch(path)) is { } entry)
            {
                yield return new PathOwnership(path, section, entry);
            }
        }
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ReviewBot.Core.Ports.RevisionFile, CodeOwnersFile> Parsed = new();

    /// <summary>The file read from the base, parsed once however many evaluators ask (team resolution, approvals).</summary>
    public static CodeOwnersFile Of(ReviewBot.Core.Ports.RevisionFile file) => Parsed.GetValue(file, f => Parse(f.Text, f.Path));

    public static CodeOwnersFile Parse(string text, string path = "CODEOWNERS")
    {
        if (System.Text.Encoding.UTF8.GetByteCount(text) is var bytes and >= MaxBytes)
        {
            var why = $"{path} is {bytes:N0} bytes, at or over the {MaxBytes:N0}-byte (3 MB) limit past which GitHub does not load a CODEOWNERS file; it is not read";
            return new CodeOwnersFile(path, [], [why], why);
        }

        var problems = new List<string>();
        var sections = new List<CodeOwnersSection>();
        string? name = null;
        var optional = false;
        var approvals = 1;
        IReadOnlyList<CodeOwner> defaults = [];
        var entries = new List<CodeOwnersEntry>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var number = i + 1;
            var line = StripComment(lines[i].TrimEnd('\r')).Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (Section(line) is { } header)
            {
                sections.Add(new CodeOwnersSection(name, optional, approvals, entries));
                (name, optional, approvals, defaults, entries) = (header.Name, header.Optional, header.Approvals, Owners(header.Owners, path, number, problems), []);
                continue;
            }

            var words = Words(line);
            var pattern = words[0];
            if (pattern.StartsWith('!'))
            {
                problems.Add($"{path}:{number}: '{pattern}': negated patterns are not supported by CODEOWNERS; the line is ignored");
                continue;
            }

            if (!Glob.TryCompile(ToGlob(pattern), ignoreCase: false, out var glob, out var error))
            {
                problems.Add($"{path}:{number}: '{pattern}' is not a valid pattern ({error}); the line is ignored");
                continue;
            }

            var owners = words.Count > 1 ? Owners(words.Skip(1), path, number, problems) : defaults;
            entries.Add(new CodeOwnersEntry(pattern, glob, owners, number));
        }

        sections.Add(new CodeOwnersSection(name, optional, approvals, entries));
        return new CodeOwnersFile(path, sections.Where(s => s.Entries.Count > 0).ToList(), problems);
    }

    /// <summary>gitignore-style pattern → <see cref="Glob"/> over repository paths.</summary>
    internal static string ToGlob(string pattern)
    {
        var escaped = pattern.Replace("{", "\\{").Replace("}", "\\}").Replace(",", "\\,");
        var directory = escaped.EndsWith('/');
        var body = escaped.Trim('/');
        if (body.Length == 0 || body == "*" || body == "**")
        {
            return "**";
        }

        var anchored = escaped.StartsWith('/') || body.Contains('/');
        var glob = anchored ? body : "**/" + body;

        // dir/* owns only the files directly in dir; anything else that names a directory owns what is beneath it.
        return body.EndsWith("/*") && !directory ? glob : glob + (directory ? "/**" : "{,/**}");
    }

    private sealed record Header(string Name, bool Optional, int Approvals, IReadOnlyList<string> Owners);

    /// <summary><c>[Name]</c>, <c>^[Name]</c> or <c>[Name][2]</c>, then default owners; null when the line is an entry.</summary>
    private static Header? Section(string line)
    {
        var optional = line.StartsWith("^[");
        var start = optional ? 1 : 0;
        if (line.Length <= start || line[start] != '[')
        {
            return null;
        }

        var close = line.IndexOf(']', start);
        if (close < 0)
        {
            return null;
        }

        var name = line[(start + 1)..close].Trim();
        var rest = line[(close + 1)..];
        var approvals = 1;
        if (rest.StartsWith('[') && rest.IndexOf(']') is var end and > 0 && int.TryParse(rest[1..end], out var n) && n > 0)
        {
            approvals = n;
            rest = rest[(end + 1)..];
        }

        return name.Length == 0 ? null : new Header(name, optional, approvals, Words(rest));
    }

    private static List<CodeOwner> Owners(IEnumerable<string> words, string path, int line, List<string> problems)
    {
        var owners = new List<CodeOwner>();
        foreach (var word in words)
        {
            if (word.StartsWith("@@"))
            {
                problems.Add($"{path}:{line}: owner '{word}' is a GitLab role, which ReviewBot does not resolve; it approves nothing");
            }
            else if (word.Length > 1 && word.Contains('@'))
            {
                owners.Add(new CodeOwner(word));
            }
            else
            {
                problems.Add($"{path}:{line}: '{word}' is not an owner (write @user, @org/team or an email); it is ignored");
            }
        }

        return owners;
    }

    /// <summary>Splits on whitespace, keeping escaped spaces (<c>\ </c>) inside a pattern.</summary>
    private static List<string> Words(string line)
    {
        var words = new List<string>();
        var current = new System.Text.StringBuilder();
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '\\' && i + 1 < line.Length && line[i + 1] == ' ')
            {
                current.Append("\\ ");
                i++;
            }
            else if (char.IsWhiteSpace(line[i]))
            {
                if (current.Length > 0)
                {
                    words.Add(current.ToString());
                    current.Clear();
                }
            }
            else
            {
                current.Append(line[i]);
            }
        }

        if (current.Length > 0)
        {
            words.Add(current.ToString());
        }

        return words;
    }

    /// <summary>A <c>#</c> at the start or after whitespace starts a comment; <c>\#</c> is a literal '#'.</summary>
    private static string StripComment(string line)
    {
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '#' && (i == 0 || char.IsWhiteSpace(line[i - 1])))
            {
                return line[..i];
            }
        }

        return line;
    }
}
