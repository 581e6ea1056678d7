namespace ReviewBot.Pipeline.Intake;

/// <summary>Settings under <c>ReviewBot:Intake</c>, shared by every platform's webhook endpoint.</summary>
public sealed class IntakeOptions
{
    public const string SectionName = "ReviewBot:Intake";

    /// <summary>
    /// Bytes all webhook bodies being read at once may hold (default 64 MiB). A delivery reserves its declared length
    /// (a chunked one: its platform's cap) before reading and waits while the budget is spent, so many large posts
    /// at once cannot take the host's memory. Must be at least every platform's body cap.
    /// </summary>
    public long MaxBufferedBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// Longest time a delivery may wait for the body budget and then take to send its body (default 30 s): past it
    /// the wait answers 503 with <c>Retry-After</c>, the read 408. A slow sender cannot hold the budget for long.
    /// </summary>
    public TimeSpan BodyTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
