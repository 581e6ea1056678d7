using ReviewBot.Core.Authorship;
using ReviewBot.Core.Authorship.Signals;

namespace ReviewBot.Core.Tests.Authorship;

/// <summary>The classifier's hand-written list of signal families holds every family the code defines, once.</summary>
public sealed class SignalFamilyRegistrationTests
{
    [Fact]
    public void Every_signal_family_type_is_registered_once()
    {
        var types = typeof(ISignalFamily).Assembly.GetTypes()
            .Where(t => typeof(ISignalFamily).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false })
            .ToList();
        Assert.All(types, t => Assert.True(t.IsSealed && t.Namespace == "ReviewBot.Core.Authorship.Signals", $"{t.FullName} must be a sealed type in Authorship/Signals"));

        var registered = AuthorshipClassifier.Families.Select(f => f.GetType().FullName).ToList();
        Assert.Equal(registered.Count, registered.Distinct().Count());
        Assert.Equal(types.Select(t => t.FullName).Order(), registered.Order());
    }
}
