using ReviewBot.Pipeline.Ports;
using ReviewBot.Storage.Azure;

namespace ReviewBot.Storage.Tests;

/// <summary>The store contract against Azure Table storage served by a real Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureTableStoreTests(AzuriteFixture azurite) : StoreContractTests
{
    private readonly StorageOptions _options = azurite.FreshOptions();

    protected override async Task<(IAuditStore Audit, IReviewCoordinator Coordinator)> OpenAsync()
    {
        var store = new AzureTableReviewStore(new AzureStorageClients(_options), Clock, _options);
        await store.EnsureCreatedAsync();
        return (store, store);
    }

    [Fact]
    public void Table_keys_escape_the_characters_tables_forbid_reversibly()
    {
        Assert.Equal("github:acme%2Fapi%237", AzureTableReviewStore.Key("github:acme/api#7"));
        Assert.Equal("a%3Fb%5Cc%25d", AzureTableReviewStore.Key("a?b\\c%d"));
        Assert.Equal("group/sub/project#12", Uri.UnescapeDataString(AzureTableReviewStore.Key("group/sub/project#12")));
    }

    [Fact]
    public async Task An_audit_record_larger_than_one_table_property_round_trips()
    {
        var (store, _) = await OpenAsync();
        var big = AuditSamples.Decision("big", "acme/api", 7, AuditSamples.T0);
        big = big with { Decision = big.Decision! with { Summary = new string('x', 100_000) } };
        await store.AppendAsync(big);

        var read = await store.GetAsync("big");
        Assert.NotNull(read);
        Assert.Equal(100_000, read.Decision!.Summary.Length);
    }
}
