using ReviewBot.TestSupport;

namespace ReviewBot.Pipeline.Tests;

/// <summary>The worker's give-way policy against a clock the test moves: no timing, only the rules.</summary>
public sealed class WorkerGiveWayTests
{
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 12, 6, 22, 0, 0, TimeSpan.Zero));
    private readonly IntakeLoad _load = new();

    private WorkerGiveWay Policy(PipelineOptions? options = null)
        => new(_load, options ?? new PipelineOptions { Concurrency = 4, GiveWay = { DeliveriesPerSecond = 100, Concurrency = 1, MaxDuration = TimeSpan.FromSeconds(30) } }, _clock);

    /// <summary>One window of the given rate: the deliveries arrive, the window ends.</summary>
    private void Window(double perSecond)
    {
        for (var i = 0; i < perSecond * WorkerGiveWay.Window.TotalSeconds; i++)
        {
            _load.RecordDelivery();
        }

        _clock.Advance(WorkerGiveWay.Window);
    }

    [Fact]
    public void A_quiet_intake_gets_full_concurrency()
    {
        var policy = Policy();
        Assert.Equal(4, policy.Concurrency());
        Window(80);
        Assert.Equal(4, policy.Concurrency());
        Assert.False(policy.GivingWay);
        Assert.Equal(80, policy.DeliveriesPerSecond, precision: 6);
    }

    [Fact]
    public void A_busy_intake_gets_one_evaluation_at_a_time_and_full_concurrency_back_once_a_window_is_quiet()
    {
        var policy = Policy();
        Window(400);
        Assert.Equal(1, policy.Concurrency());
        Assert.True(policy.GivingWay);

        // Within a window the decision holds, however many deliveries arrive meanwhile.
        _clock.Advance(WorkerGiveWay.Window / 2);
        Assert.Equal(1, policy.Concurrency());

        _clock.Advance(WorkerGiveWay.Window / 2);
        Assert.Equal(4, policy.Concurrency());
        Assert.False(policy.GivingWay);
    }

    [Fact]
    public void Giving_way_never_stops_evaluations()
    {
        var policy = Policy(new PipelineOptions { Concurrency = 0, GiveWay = { DeliveriesPerSecond = 1, Concurrency = 0 } });
        Assert.Equal(1, policy.Concurrency());
        Window(1000);
        Assert.Equal(1, policy.Concurrency());
        Assert.True(policy.GivingWay);
    }

    [Fact]
    public void A_stream_that_never_quietens_is_given_way_to_for_at_most_the_max_duration_then_again_after_a_quiet_window()
    {
        var policy = Policy();
        var busyFor = TimeSpan.Zero;
        while (busyFor < TimeSpan.FromSeconds(30))
        {
            Window(400);
            busyFor += WorkerGiveWay.Window;
            Assert.Equal(1, policy.Concurrency());
        }

        // The first window was measured at its end, so giving way began one window in: it ends 30 s after that.
        Window(400);
        Assert.Equal(4, policy.Concurrency());
        for (var i = 0; i < 200; i++)
        {
            Window(400);
            Assert.Equal(4, policy.Concurrency());
        }

        Window(0);
        Assert.Equal(4, policy.Concurrency());
        Window(400);
        Assert.Equal(1, policy.Concurrency());
    }

    [Fact]
    public void Turned_off_it_always_gives_full_concurrency()
    {
        var policy = Policy(new PipelineOptions { Concurrency = 3, GiveWay = { Enabled = false, DeliveriesPerSecond = 1 } });
        Window(1000);
        Assert.Equal(3, policy.Concurrency());
        Assert.False(policy.GivingWay);
    }

    [Fact]
    public void The_reduced_concurrency_is_bounded_by_the_full_one()
    {
        var policy = Policy(new PipelineOptions { Concurrency = 2, GiveWay = { DeliveriesPerSecond = 1, Concurrency = 8 } });
        Window(1000);
        Assert.Equal(2, policy.Concurrency());
    }
}
