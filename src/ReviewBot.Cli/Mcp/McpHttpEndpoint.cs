using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ReviewBot.Cli.Mcp;

/// <summary>
/// <c>/mcp</c> on the host (Streamable HTTP), behind the bearer token of <c>ReviewBot:Mcp:Token</c>: without a token
/// configured the endpoint is not mapped at all; a missing or wrong token gets 401 before the MCP server sees the
/// request. Over HTTP <c>plan_change</c> reads only the repositories configured under <c>ReviewBot:Mcp:Repositories</c>.
/// </summary>
internal static class McpHttpEndpoint
{
    public const string Path = "/mcp";

    public static void AddServices(WebApplicationBuilder builder)
    {
        var options = Options(builder.Configuration);
        if (options.Token is null)
        {
            return;
        }

        builder.Services.AddMcpServer(server => server.ServerInfo = new() { Name = McpTools.ServerName, Version = CliVersion })
            .WithHttpTransport(http => http.Stateless = true)
            .AddReviewBotTools(new McpRepositories(options.Repositories, localPathsAllowed: false));
    }

    public static void Map(WebApplication app)
    {
        if (Options(app.Configuration).Token is not { } token)
        {
            return;
        }

        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(Path, StringComparison.OrdinalIgnoreCase),
            branch => branch.Use(async (context, next) =>
            {
                if (!Authorized(context.Request.Headers.Authorization.ToString(), expected))
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    context.Response.Headers.WWWAuthenticate = "Bearer";
                    await context.Response.WriteAsync("reviewbot: /mcp needs 'Authorization: Bearer <ReviewBot:Mcp:Token>'\n");
                    return;
                }

                await next(context);
            }));
        app.MapMcp(Path);
    }

    internal static string CliVersion => typeof(McpHttpEndpoint).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    private static McpOptions Options(IConfiguration configuration)
    {
        var options = configuration.GetSection(McpOptions.Section).Get<McpOptions>() ?? new McpOptions();
        return string.IsNullOrWhiteSpace(options.Token) ? options with { Token = null } : options;
    }

    /// <summary>Compares hashes of equal length in constant time, so the time taken says nothing about the token.</summary>
    private static bool Authorized(string header, byte[] expected)
    {
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var given = SHA256.HashData(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(given, expected);
    }
}
