using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ReviewBot.Core.Pipeline;

namespace ReviewBot.Core.Tests.Architecture;

/// <summary>
/// ReviewBot.Core is the domain only (docs/architecture.md): it receives a snapshot and answers with values. It may not
/// use ASP.NET, HTTP, Azure, SQLite, the file system, a clock or the environment; what it needs of them is given to it
/// (a <see cref="TimeProvider"/>, values on the snapshot, ports). This reads the compiled ReviewBot.Core.dll.
/// </summary>
public sealed class CoreApiUsageTests
{
    private const string Edge = "Core is the domain only: the edge (Pipeline, adapters, Storage, Host, CLI) does this and hands Core values";

    /// <summary>What Core may not use, with the reason shown when it does.</summary>
    internal static IReadOnlyList<ForbiddenApi> Forbidden { get; } =
    [
        ForbiddenApi.Assembly("Microsoft.AspNetCore", "ASP.NET belongs to the host and the webhook intake"),
        ForbiddenApi.Assembly("Microsoft.Extensions.Hosting", "hosting belongs to the host"),
        ForbiddenApi.Assembly("Microsoft.Extensions.Configuration", "configuration is read at the edge and passed as options"),
        ForbiddenApi.Assembly("Azure", "Azure Storage belongs to ReviewBot.Storage"),
        ForbiddenApi.Assembly("Microsoft.Data.Sqlite", "SQLite belongs to ReviewBot.Storage"),
        ForbiddenApi.Assembly("System.Net.Http", "HTTP belongs to the platform adapters"),
        ForbiddenApi.Assembly("Octokit", "GitHub's client belongs to ReviewBot.GitHub"),
        ForbiddenApi.Type("Microsoft.AspNetCore", "ASP.NET belongs to the host and the webhook intake"),
        ForbiddenApi.Type("Azure", "Azure Storage belongs to ReviewBot.Storage"),
        ForbiddenApi.Type("Microsoft.Data", "databases belong to ReviewBot.Storage"),
        ForbiddenApi.Type("System.Data", "databases belong to ReviewBot.Storage"),
        ForbiddenApi.Type("System.Net.Http", "HTTP belongs to the platform adapters"),
        ForbiddenApi.Type("System.Net.Sockets", "the network belongs to the edge"),
        ForbiddenApi.Type("System.Net.WebClient", "HTTP belongs to the platform adapters"),
        ForbiddenApi.Type("System.Net.WebRequest", "HTTP belongs to the platform adapters"),
        ForbiddenApi.Type("System.IO.File", "file contents come through IFileContentProvider"),
        ForbiddenApi.Type("System.IO.FileInfo", "file contents come through IFileContentProvider"),
        ForbiddenApi.Type("System.IO.FileStream", "file contents come through IFileContentProvider"),
        ForbiddenApi.Type("System.IO.Directory", "the file system belongs to the edge"),
        ForbiddenApi.Type("System.IO.DirectoryInfo", "the file system belongs to the edge"),
        ForbiddenApi.Type("System.IO.DriveInfo", "the file system belongs to the edge"),
        ForbiddenApi.Type("System.IO.FileSystemWatcher", "the file system belongs to the edge"),
        ForbiddenApi.MemberOf("System.IO.Path", "GetFullPath", "resolves against the process's working directory"),
        ForbiddenApi.MemberOf("System.IO.Path", "GetTempPath", "the file system belongs to the edge"),
        ForbiddenApi.MemberOf("System.IO.Path", "GetTempFileName", "the file system belongs to the edge"),
        // The compiler's iterators (yield return) read the current thread's id: no environment in that.
        ForbiddenApi.Type("System.Environment", "the environment is read at the edge and passed as options", "get_CurrentManagedThreadId"),
        ForbiddenApi.Type("System.Console", "output belongs to the CLI and the host's logging"),
        ForbiddenApi.Type("System.Diagnostics.Process", "processes belong to the edge"),
        ForbiddenApi.Type("System.Diagnostics.Stopwatch", "time is given to Core as a TimeProvider"),
        ForbiddenApi.MemberOf("System.DateTime", "get_Now", "time is given to Core as a TimeProvider"),
        ForbiddenApi.MemberOf("System.DateTime", "get_UtcNow", "time is given to Core as a TimeProvider"),
        ForbiddenApi.MemberOf("System.DateTime", "get_Today", "time is given to Core as a TimeProvider"),
        ForbiddenApi.MemberOf("System.DateTimeOffset", "get_Now", "time is given to Core as a TimeProvider"),
        ForbiddenApi.MemberOf("System.DateTimeOffset", "get_UtcNow", "time is given to Core as a TimeProvider"),
        ForbiddenApi.MemberOf("System.TimeProvider", "get_System", "the caller gives Core its clock"),
    ];

    [Fact]
    public void ReviewBot_Core_uses_no_asp_net_http_azure_sqlite_file_system_clock_or_environment()
    {
        var core = typeof(ReviewEngine).Assembly.Location;

        var violations = ApiUsage.Violations(core, Forbidden);

        Assert.True(violations.Count == 0, $"{Path.GetFileName(core)}: {Edge}.\n" + string.Join('\n', violations));
    }

    [Fact]
    public void The_check_reports_each_forbidden_use_of_a_compiled_assembly()
    {
        var violations = ApiUsage.Violations(Compile("""
            public static class Leaky
            {
                public static string Read(string path) => System.IO.File.ReadAllText(path);
                public static System.DateTime Now() => System.DateTime.UtcNow;
                public static System.DateTimeOffset Clock() => System.TimeProvider.System.GetUtcNow();
                public static string? Secret() => System.Environment.GetEnvironmentVariable("TOKEN");
                public static object Client() => new System.Net.Http.HttpClient();
                public static string Full(string path) => System.IO.Path.GetFullPath(path);
                public static System.Collections.Generic.IEnumerable<string> Lines() { yield return System.Environment.MachineName; }
            }
            """), Forbidden);

        Assert.Contains(violations, v => v.StartsWith("uses type System.IO.File (ReadAllText):", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("calls System.DateTime.get_UtcNow:", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("calls System.TimeProvider.get_System:", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("uses type System.Environment (GetEnvironmentVariable, get_MachineName):", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("uses type System.Net.Http.HttpClient (.ctor):", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("references assembly System.Net.Http:", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("calls System.IO.Path.GetFullPath:", StringComparison.Ordinal));
    }

    [Fact]
    public void Pure_code_and_the_text_of_strings_are_no_violation()
    {
        var violations = ApiUsage.Violations(Compile("""
            public static class Pure
            {
                public const string Description = "System.IO.File.ReadAllText and DateTime.UtcNow in a rule's description";
                public static string Name(string path) => System.IO.Path.GetFileName(path);
                public static System.DateTimeOffset Later(System.TimeProvider clock) => clock.GetUtcNow().AddDays(1);
                public static System.DateTime Epoch() => new System.DateTime(1970, 1, 1, 0, 0, 0, System.DateTimeKind.Utc);
                public static System.Collections.Generic.IEnumerable<int> Count() { yield return 1; }
            }
            """), Forbidden);

        Assert.Empty(violations);
    }

    /// <summary>Compiles <paramref name="source"/> in memory against the running framework's assemblies.</summary>
    private static MemoryStream Compile(string source)
    {
        var framework = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) == "netstandard.dll")
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create(
            "Probe",
            [CSharpSyntaxTree.ParseText(source)],
            framework,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join('\n', emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        image.Position = 0;
        return image;
    }
}
