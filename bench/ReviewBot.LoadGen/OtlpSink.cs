using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ReviewBot.LoadGen;

/// <summary>An OTLP/HTTP receiver on loopback that reads each export and answers 200 (the collector's part, at no cost).</summary>
internal static class OtlpSink
{
    private static long _received;

    public static long Received => Interlocked.Read(ref _received);

    public static WebApplication Start()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/v1/{signal}", async (HttpContext context) =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null);
            Interlocked.Increment(ref _received);
            return Results.Ok();
        });
        return app;
    }
}
