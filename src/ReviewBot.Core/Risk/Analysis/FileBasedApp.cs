using Microsoft.CodeAnalysis.CSharp;

namespace ReviewBot.Core.Risk.Analysis;

/// <summary>
/// .NET 10 file-based apps: a single .cs file that may start with <c>#!/usr/bin/env dotnet</c> and carries its
/// project settings as <c>#:package</c>, <c>#:sdk</c>, <c>#:property</c> directives. They parse with the compiler's
/// FileBasedProgram feature (without it every such line is a parse error).
/// </summary>
public static class FileBasedApp
{
    public static CSharpParseOptions ParseOptions { get; } = RoslynRiskAnalyzer.ParseOptions.WithFeatures([new("FileBasedProgram", "true")]);

    /// <summary>The text starts with a shebang or has a <c>#:</c> directive at the start of a line.</summary>
    public static bool Is(string source)
        => source.StartsWith("#!", StringComparison.Ordinal) || source.StartsWith("#:", StringComparison.Ordinal)
            || source.Contains("\n#:", StringComparison.Ordinal);

    /// <summary>Id and version (null when none) of a <c>#:package Id@Version</c> directive; null for other directives.</summary>
    public static (string Id, string? Version)? Package(string directive)
    {
        var text = directive.Trim();
        if (!text.StartsWith("#:package", StringComparison.Ordinal) || text.Length == "#:package".Length || !char.IsWhiteSpace(text["#:package".Length]))
        {
            return null;
        }

        var spec = text["#:package".Length..].Trim();
        var at = spec.IndexOf('@');
        return at < 0 ? (spec, null) : (spec[..at].Trim(), spec[(at + 1)..].Trim());
    }
}
