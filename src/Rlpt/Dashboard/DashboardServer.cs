using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rlpt.Serving;
using Rlpt.Telemetry;

namespace Rlpt.Dashboard;

/// <summary>
/// The live run dashboard: a page (static assets embedded in this assembly, uPlot vendored for the charts) and a small
/// JSON API over a <see cref="RunCatalog"/>. The page polls: each metrics or completions request carries the byte
/// offset it has read to, and gets only the whole lines written since (<see cref="JsonLinesTail"/>), so a run being
/// trained shows up as it goes without re-reading its files.
/// </summary>
public sealed class DashboardServer : IAsyncDisposable
{
    private const string AssetPrefix = "Rlpt.Dashboard.Assets.";
    private static readonly Dictionary<string, string> ContentTypes = new()
    {
        [".html"] = "text/html; charset=utf-8", [".js"] = "text/javascript; charset=utf-8", [".css"] = "text/css; charset=utf-8",
        [".png"] = "image/png", [".svg"] = "image/svg+xml", [".md"] = "text/markdown; charset=utf-8", [".json"] = "application/json; charset=utf-8",
        [".LICENSE"] = "text/plain; charset=utf-8",
    };
    private readonly WebApplication app;
    private readonly RunCatalog catalog;

    public DashboardServer(DashboardOptions options)
    {
        options.Validate();
        catalog = new RunCatalog(options.Runs);
        var address = BindAddress.Parse(options.Host);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(address, options.Port));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        app = builder.Build();
        app.MapGet("/", context => Asset(context, "index.html"));
        app.MapGet("/assets/{name}", (HttpContext context, string name) => Asset(context, name));
        app.MapGet("/api/runs", () => Results.Json(catalog.List().Select(r => new
        {
            id = r.Id, command = r.Command, modified = r.Modified, has_metrics = r.HasMetrics, has_completions = r.HasCompletions, files = r.Files,
        })));
        app.MapGet("/api/metrics", (string? run, long? offset) => Tail(run, MetricsWriter.FileName, offset));
        app.MapGet("/api/completions", (string? run, long? offset) => Tail(run, MetricsWriter.CompletionsFileName, offset));
        app.MapGet("/api/file", (HttpContext context, string? run, string? name) =>
        {
            var path = catalog.ResolveFile(run, name);
            if (path is null) return Results.NotFound(new { error = "no such file in that run." });
            context.Response.Headers.CacheControl = "no-cache";
            return Results.File(path, ContentTypes.GetValueOrDefault(Path.GetExtension(path), "application/octet-stream"));
        });
        app.MapFallback(() => Results.NotFound(new { error = "not found." }));
    }

    /// <summary>The page's address, e.g. http://127.0.0.1:6070/ (the bound port when the option was 0); valid once started.</summary>
    public Uri Address => new(app.Urls.First().TrimEnd('/') + "/");

    public Task StartAsync(CancellationToken cancellation = default) => app.StartAsync(cancellation);

    /// <summary>Once started: serves until Ctrl-C, SIGTERM or <paramref name="cancellation"/>.</summary>
    public Task RunUntilStoppedAsync(CancellationToken cancellation = default) => app.WaitForShutdownAsync(cancellation);

    public ValueTask DisposeAsync() => app.DisposeAsync();

    private IResult Tail(string? run, string file, long? offset)
    {
        var directory = catalog.Resolve(run);
        if (directory is null) return Results.NotFound(new { error = $"no run '{run}' under the runs folder." });
        var chunk = JsonLinesTail.Read(Path.Combine(directory, file), offset ?? 0);
        var rows = new JsonArray();
        foreach (var line in chunk.Lines)
        {
            // A line that is not a JSON object (a torn write a crash left behind) is skipped, not passed on to break the page.
            try { if (JsonNode.Parse(line) is JsonObject row) rows.Add(row); }
            catch (JsonException) { }
        }
        return Results.Json(new JsonObject { ["offset"] = chunk.Offset, ["restarted"] = chunk.Restarted, ["rows"] = rows });
    }

    private static async Task Asset(HttpContext context, string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(AssetPrefix + name);
        if (stream is null)
        {
            context.Response.StatusCode = 404;
            return;
        }
        context.Response.ContentType = ContentTypes.GetValueOrDefault(Path.GetExtension(name), "application/octet-stream");
        await stream.CopyToAsync(context.Response.Body);
    }
}
