using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using ReviewBot.Host;

namespace ReviewBot.Cli.Commands;

/// <summary><c>reviewbot serve [--urls http://127.0.0.1:PORT]</c>: runs the webhook host until Ctrl+C.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string?>("--urls")
        {
            Description = "Addresses to listen on, e.g. http://127.0.0.1:8080 (default: ASPNETCORE_URLS or http://localhost:5000).",
        };
        var command = new Command("serve", "Run the webhook host: POST /api/github (and other platforms), evaluation worker, /healthz.")
        {
            urls,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var args = parse.GetValue(urls) is { Length: > 0 } u ? new[] { "--urls", u } : [];
            WebApplication app;
            try
            {
                app = BuildHost(args);
            }
            catch (InvalidOperationException ex) when (ex.Message.StartsWith("ReviewBot cannot start", StringComparison.Ordinal))
            {
                throw new UsageException(ex.Message);
            }

            await using (app)
            {
                try
                {
                    await app.StartAsync(cancellationToken);
                }
                catch (Microsoft.Extensions.Options.OptionsValidationException ex)
                {
                    // Settings checked at start-up (e.g. a GitLab section without a webhook secret): one line, exit 2.
                    throw new UsageException("ReviewBot cannot start: " + string.Join("; ", ex.Failures));
                }

                CliApp.Out(parse).WriteLine($"reviewbot: listening on {string.Join(", ", app.Urls)}");
                try
                {
                    await app.WaitForShutdownAsync(cancellationToken);
                }
                catch (OperationCanceledException)
                {
                }

                await app.StopAsync(CancellationToken.None);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The web host of <c>serve</c>: <see cref="HostApp"/> and, when a token is configured, <c>/mcp</c> (docs/mcp.md).</summary>
    /// <param name="configure">Runs first, as in <see cref="HostApp.Build"/>.</param>
    internal static WebApplication BuildHost(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var app = HostApp.Build(args, builder =>
        {
            configure?.Invoke(builder);
            Mcp.McpHttpEndpoint.AddServices(builder);
        });
        Mcp.McpHttpEndpoint.Map(app);
        return app;
    }
}
