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
                app = HostApp.Build(args);
            }
            catch (InvalidOperationException ex) when (ex.Message.StartsWith("ReviewBot cannot start", StringComparison.Ordinal))
            {
                throw new UsageException(ex.Message);
            }

            await using (app)
            {
                await app.StartAsync(cancellationToken);
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
}
