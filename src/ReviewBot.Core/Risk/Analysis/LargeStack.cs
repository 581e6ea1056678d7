namespace ReviewBot.Core.Risk.Analysis;

/// <summary>
/// Runs work on a dedicated thread with an explicit large stack. Roslyn's parser recurses on nesting; on a
/// thread-pool thread (1.5 MB on Linux) a deeply nested file can overflow the stack, which no catch can stop and
/// which takes the whole process down. The nesting budget refuses such files before parsing; the large stack is the
/// margin under that budget.
/// </summary>
internal static class LargeStack
{
    /// <summary>256 MB: reserved address space, committed only as deep as the work goes.</summary>
    public const int Bytes = 256 * 1024 * 1024;

    public static Task<T> RunAsync<T>(Func<T> work, string name)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(
            () =>
            {
                try
                {
                    done.SetResult(work());
                }
                catch (OperationCanceledException e)
                {
                    done.SetCanceled(e.CancellationToken);
                }
                catch (Exception e)
                {
                    done.SetException(e);
                }
            },
            Bytes)
        {
            IsBackground = true,
            Name = name,
        };
        thread.Start();
        return done.Task;
    }
}
