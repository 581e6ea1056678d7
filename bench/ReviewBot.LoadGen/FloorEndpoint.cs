using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ReviewBot.LoadGen;

/// <summary>
/// The floor the intake is measured against: the least a correct webhook receiver does. It reads the whole body
/// into a pooled buffer, checks <c>X-Hub-Signature-256</c> in constant time and answers 202, nothing else (no
/// de-duplication, no mapping, no queue).
/// </summary>
internal static class FloorEndpoint
{
    public const string Route = "/floor";

    public static WebApplication Start(string secret)
    {
        var key = Encoding.UTF8.GetBytes(secret);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost(Route, async context =>
        {
            var length = (int)(context.Request.ContentLength ?? 0);
            var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, length));
            try
            {
                var read = 0;
                int n;
                while (read < length && (n = await context.Request.Body.ReadAsync(buffer.AsMemory(read, length - read))) > 0)
                {
                    read += n;
                }

                var header = context.Request.Headers["X-Hub-Signature-256"].ToString();
                Span<byte> expected = stackalloc byte[32];
                HMACSHA256.HashData(key, buffer.AsSpan(0, read), expected);
                var valid = header.Length == 71 && CryptographicOperations.FixedTimeEquals(Convert.FromHexString(header.AsSpan(7)), expected);
                context.Response.StatusCode = valid ? StatusCodes.Status202Accepted : StatusCodes.Status401Unauthorized;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        });
        return app;
    }
}
