using System.Security.Cryptography;
using ReviewBot.Pipeline.Intake;

namespace ReviewBot.Pipeline.Tests;

/// <summary>The intake's memory discipline: the shared body budget, the segmented body, the streamed HMAC.</summary>
public sealed class IntakeBufferTests
{
    [Fact]
    public async Task The_budget_grants_in_arrival_order_and_a_small_request_does_not_overtake_a_waiting_large_one()
    {
        var budget = new BodyBudget(100);
        var first = await budget.ReserveAsync(60, CancellationToken.None);
        var large = budget.ReserveAsync(80, CancellationToken.None).AsTask();
        var small = budget.ReserveAsync(10, CancellationToken.None).AsTask();

        Assert.False(large.IsCompleted);
        Assert.False(small.IsCompleted); // 40 are free, but the large one came first

        first.Dispose();
        using var grantedLarge = await large.WaitAsync(TimeSpan.FromSeconds(5));
        using var grantedSmall = await small.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(10, budget.Available);
    }

    [Fact]
    public async Task A_cancelled_wait_leaves_the_budget_whole_and_lets_later_waiters_through()
    {
        var budget = new BodyBudget(100);
        var held = await budget.ReserveAsync(90, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var abandoned = budget.ReserveAsync(50, cancel.Token).AsTask();
        var behind = budget.ReserveAsync(10, CancellationToken.None).AsTask();

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        using (await behind.WaitAsync(TimeSpan.FromSeconds(5)))
        {
            Assert.Equal(0, budget.Available);
        }

        held.Shrink(30);
        Assert.Equal(70, budget.Available);
        held.Dispose();
        held.Dispose();
        Assert.Equal(100, budget.Available);
    }

    [Fact]
    public async Task More_than_the_budget_is_a_programming_error_not_a_wait()
        => await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await new BodyBudget(10).ReserveAsync(11, CancellationToken.None));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(WebhookBody.SegmentSize)]
    [InlineData(WebhookBody.SegmentSize * 3 + 17)]
    public async Task A_body_read_in_segments_is_the_bytes_sent_and_its_hmac_the_one_shot_hmac(int length)
    {
        var key = "segment-key"u8.ToArray();
        var bytes = RandomNumberGenerator.GetBytes(length);
        var expected = HMACSHA256.HashData(key, bytes);
        using var verifier = new HmacSha256BodyVerifier(key, [], [expected], "mismatch");

        using var body = await WebhookBody.ReadAsync(new TrickleStream(bytes, 7_000), maxBytes: length, verifier, System.Buffers.ArrayPool<byte>.Shared, CancellationToken.None);

        Assert.NotNull(body);
        Assert.Equal(bytes, body.ToMemory().ToArray());
        Assert.Null(verifier.Finish());
    }

    [Fact]
    public async Task A_body_one_byte_over_the_cap_is_refused_without_reading_further()
    {
        var stream = new TrickleStream(new byte[1_000_000], 4096);

        var body = await WebhookBody.ReadAsync(stream, maxBytes: 10_000, verifier: null, System.Buffers.ArrayPool<byte>.Shared, CancellationToken.None);

        Assert.Null(body);
        Assert.InRange(stream.Delivered, 10_001, 10_001 + 4096);
    }

    [Fact]
    public void A_prefixed_hmac_accepts_any_offered_signature_that_matches_and_refuses_otherwise()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var right = HMACSHA256.HashData(key, "msg_1.1764165600.{}"u8);
        using var accepts = new HmacSha256BodyVerifier(key, "msg_1.1764165600."u8, [new byte[32], right], "no match");
        using var refuses = new HmacSha256BodyVerifier(key, "msg_2.1764165600."u8, [right], "no match");
        accepts.Append("{}"u8);
        refuses.Append("{}"u8);

        Assert.Null(accepts.Finish());
        Assert.Equal("no match", refuses.Finish());
    }

    /// <summary>Hands out at most <c>chunk</c> bytes per read, like a network stream.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : Stream
    {
        public int Delivered { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => data.Length;
        public override long Position { get => Delivered; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(Math.Min(chunk, buffer.Length), data.Length - Delivered);
            data.AsSpan(Delivered, n).CopyTo(buffer);
            Delivered += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            => ValueTask.FromResult(Read(buffer.Span));

        public override void Flush() => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
