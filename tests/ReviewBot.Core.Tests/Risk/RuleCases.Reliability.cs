namespace ReviewBot.Core.Tests.Risk;

public static partial class RuleCases
{
    private static void Reliability()
    {
        // RB4001 unsafe
        PositiveAndInBase("RB4001", "unsafe method, fixed, MemoryMarshal", Cs("Native/Buffers.cs",
            InMethod("        var x = 1;"),
            InMethod("        var x = 1;\n        var span = MemoryMarshal.Cast<byte, int>(data); //!",
                members: "    public unsafe int Sum(byte[] data) //!\n    {\n        fixed (byte* p = data) //!\n        {\n            return p[0];\n        }\n    }\n\n")));
        Negative("RB4001", "safe span code", Cs("Native/Buffers.cs",
            InMethod("        var x = 1;"),
            InMethod("        var span = data.AsSpan();")));

        // RB4002 P/Invoke
        PositiveAndInBase("RB4002", "[DllImport] added", Cs("Native/Interop.cs",
            "internal static class Native\n{\n}\n",
            "internal static class Native\n{\n    [DllImport(\"user32.dll\")] //!\n    internal static extern int MessageBox(nint h, string t, string c, uint type);\n}\n"));
        Negative("RB4002", "managed method added", Cs("Native/Interop.cs",
            "internal static class Native\n{\n}\n",
            "internal static class Native\n{\n    internal static int Box() => 1;\n}\n"));

        // RB4003 async void
        PositiveAndInBase("RB4003", "async void method", Cs("Jobs/Sync.cs",
            InMethod("        var x = 1;"),
            InMethod("        var x = 1;", members: "    public async void Refresh() //!\n    {\n        await Task.Delay(1);\n    }\n\n")));
        Negative("RB4003", "event handler and async Task", Cs("Jobs/Sync.cs",
            InMethod("        var x = 1;"),
            InMethod("        var x = 1;", members: "    private async void OnClick(object sender, EventArgs e) => await Task.Delay(1);\n\n    public async Task RefreshAsync() => await Task.Delay(1);\n\n")));

        // RB4004 sync over async
        PositiveAndInBase("RB4004", ".Result, .Wait(), GetAwaiter().GetResult()", Cs("Jobs/Sync.cs",
            InMethod("        var x = 1;"),
            InMethod("        var a = client.GetStringAsync(input).Result; //!\n        saveTask.Wait(); //!\n        var b = LoadAsync().GetAwaiter().GetResult(); //!")));
        Negative("RB4004", "awaited and unrelated Result", Cs("Jobs/Sync.cs",
            InMethod("        var x = 1;"),
            InMethod("        var r = validation.Result;\n        var ok = outcome.Wait(TimeSpan.FromSeconds(1));")));

        // RB4005 lock removed
        Positive("RB4005", "lock removed from a method", Cs("Cache/Counter.cs",
            InMethod("        lock (gate) //!\n        {\n            count++;\n        }", members: "    private readonly object gate = new();\n    private int count;\n\n"),
            InMethod("        count++;", members: "    private readonly object gate = new();\n    private int count;\n\n")));
        Positive("RB4005", "Interlocked replaced by ++ and lock(this) added", Cs("Cache/Counter.cs",
            InMethod("        Interlocked.Increment(ref count); //!"),
            InMethod("        count++;\n        lock (this) //!\n        {\n            count--;\n        }")));
        Negative("RB4005", "lock kept while the body changes", Cs("Cache/Counter.cs",
            InMethod("        lock (gate)\n        {\n            count++;\n        }"),
            InMethod("        lock (gate)\n        {\n            count += 2;\n        }")));
        Negative("RB4005", "method with a lock deleted", Cs("Cache/Counter.cs",
            InMethod("        var x = 1;", members: "    public void Bump()\n    {\n        lock (gate) { count++; }\n    }\n\n"),
            InMethod("        var x = 1;")));
        InBase("RB4005", "no lock on either side", Cs("Cache/Counter.cs",
            InMethod("        count++;"),
            InMethod("        count += 2;")));

        // RB4006 swallowed exceptions
        PositiveAndInBase("RB4006", "empty catch and throw ex", Cs("Jobs/Import.cs",
            InMethod("        Load();"),
            InMethod("        try\n        {\n            Load();\n        }\n        catch (Exception) { } //!\n        try { Load(); }\n        catch (IOException ex) { Log(ex); throw ex; } //!")));
        Negative("RB4006", "handled and rethrown", Cs("Jobs/Import.cs",
            InMethod("        Load();"),
            InMethod("        try\n        {\n            Load();\n        }\n        catch (IOException ex)\n        {\n            Log(ex);\n            throw;\n        }")));

        PositiveAndInBase("RB4006", "failure check whose branch is empty, catch of Exception rethrown with throw ex", Cs("Jobs/Import.cs",
            InMethod("        Load();"),
            InMethod("        if (!Directory.CreateDirectory(dir).Exists) //!\n        {\n            // nothing to do\n        }\n\n        try { Load(); }\n        catch (Exception ex) { Log(ex); throw ex; } //!")));
        Negative("RB4006", "failure check that acts, a branch whose statements are under #if, if with an else, catch of Exception that rethrows with throw;", Cs("Jobs/Import.cs",
            InMethod("        Load();"),
            InMethod("        if (!Directory.CreateDirectory(dir).Exists)\n        {\n            throw new IOException(dir);\n        }\n\n        if (verbose)\n        {\n#if DEBUG\n            Trace(dir);\n#endif\n        }\n\n        if (ready)\n        {\n        }\n        else\n        {\n            Load();\n        }\n\n        try { Load(); }\n        catch (Exception ex) { Log(ex); throw; }")));

        // RB4007 process exit
        PositiveAndInBase("RB4007", "Environment.Exit in a library", Cs("src/Acme.Core/Config.cs",
            InMethod("        var x = 1;"),
            InMethod("        if (input is null)\n        {\n            Environment.Exit(3); //!\n        }")));
        Negative("RB4007", "Environment.Exit in Program.cs", Cs("src/Acme.Cli/Program.cs",
            "Console.WriteLine(\"hi\");\n",
            "Console.WriteLine(\"hi\");\nEnvironment.Exit(2);\n"));
    }
}
