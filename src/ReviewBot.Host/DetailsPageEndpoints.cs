using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;
using ReviewBot.Pipeline.Details;
using ReviewBot.Pipeline.Ports;
using ReviewBot.Pipeline.Replay;

namespace ReviewBot.Host;

/// <summary>
/// <c>GET /reviews/{platform}/{repository path}/{number}?expires=…&amp;sig=…</c>: the details page of one pull request
/// (docs/details-page.md), from the audit store's recorded decisions. The repository path is the GitHub
/// <c>owner/name</c> or the GitLab project path with all its groups (<c>group/subgroup/project</c>); the number is the
/// last segment. Only signed links open it: without a signature, with a bad one, or for a pull request with no recorded
/// evaluation the answer is a 404 with an empty body; an expired link's 404 says how to get a fresh one.
/// </summary>
public static class DetailsPageEndpoints
{
    /// <summary>How many evaluations of a pull request the timeline shows (newest first).</summary>
    public const int TimelineLimit = 100;

    public const string ExpiredMessage = "This ReviewBot link has expired. Re-run the ReviewBot check on the pull request "
        + "(on GitHub, the check run's Re-evaluate button; on GitLab, a new push or a re-triggered pipeline) and open its fresh details link.";

    /// <summary>
    /// Validates <c>ReviewBot:Details</c> (a base URL without a key stops the host) and maps the page when a signing key
    /// is configured; without one the route does not exist (404).
    /// </summary>
    public static IEndpointRouteBuilder MapDetailsPage(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<DetailsOptions>();
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("ReviewBot cannot start: " + string.Join(" ", problems));
        }

        if (options.Enabled)
        {
            app.MapGet(DetailsLinks.RoutePrefix + "/{platform}/{**path}", ServeAsync);
        }

        return app;
    }

    private static async Task ServeAsync(HttpContext context, string platform, string path)
    {
        var response = context.Response;
        response.Headers.CacheControl = "no-store";
        response.Headers["Referrer-Policy"] = "no-referrer"; // the link's signature must not leak to another site
        response.Headers["X-Content-Type-Options"] = "nosniff";
        response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

        var segments = path.Split('/');
        if (segments.Length < 3 || segments.Any(s => s.Length == 0)
            || !long.TryParse(segments[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number <= 0)
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var repository = string.Join('/', segments[..^1]);
        var services = context.RequestServices;
        var check = services.GetRequiredService<DetailsLinks>().Verify(platform, repository, number, Single(context.Request.Query["expires"]), Single(context.Request.Query["sig"]));
        if (check == DetailsLinkCheck.Expired)
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            response.ContentType = "text/html; charset=utf-8";
            await response.WriteAsync(DetailsPageHtml.Expired(ExpiredMessage), context.RequestAborted);
            return;
        }

        if (check != DetailsLinkCheck.Valid)
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var audit = services.GetRequiredService<IAuditStore>();
        var records = (await audit.ListAsync(new AuditQuery { Repository = repository, Number = number, Limit = TimelineLimit }, context.RequestAborted))
            .Where(r => string.Equals(r.Platform, platform, StringComparison.OrdinalIgnoreCase))
            .ToList();
        if (records.Count == 0)
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var latest = records.FirstOrDefault(r => r.Decision is not null) ?? records[0];
        var evaluations = services.GetService<IEvaluationStore>();
        var evaluation = evaluations is null ? null : await evaluations.GetAsync(latest.Id, context.RequestAborted);
        var excerpts = evaluation is null || latest.Risk is null
            ? new Dictionary<string, byte[]>()
            : await evaluations!.GetContentsAsync(
                evaluation.Contents.Where(c => latest.Risk.Findings.Any(f => f.Path == c.Path && f.Side == c.Side)).Select(c => c.Sha256),
                context.RequestAborted);

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/html; charset=utf-8";
        await response.WriteAsync(DetailsPageHtml.Render(new DetailsPageModel(platform, repository, number, records, latest, evaluation, excerpts)), context.RequestAborted);
    }

    /// <summary>The one value of a query parameter; a repeated parameter counts as absent.</summary>
    private static string? Single(StringValues values) => values.Count == 1 ? values[0] : null;
}
