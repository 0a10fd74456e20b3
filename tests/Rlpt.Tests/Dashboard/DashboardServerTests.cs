using System.Net;
using System.Text.Json;
using Rlpt.Dashboard;

namespace Rlpt.Tests.Dashboard;

public sealed class DashboardServerTests
{
    [Fact]
    public void TheCatalogListsEveryRunFolderButNotCheckpointsAndResolvesOnlyInsideTheRoot()
    {
        using var runs = new DashboardRuns();
        var catalog = new RunCatalog(runs.Root);
        var listed = catalog.List();
        Assert.Equal(["grpo", "sweep/lr-3e-5"], listed.Select(r => r.Id));
        var grpo = listed[0];
        Assert.Equal("train", grpo.Command);
        Assert.True(grpo.HasMetrics && grpo.HasCompletions);
        Assert.Equal(["eval.json", "reward.png", "run_config.json"], grpo.Files);

        Assert.Equal(runs.Run("grpo"), catalog.Resolve("grpo"));
        Assert.Null(catalog.Resolve("grpo/checkpoints/.."));
        Assert.Null(catalog.Resolve("../" + Path.GetFileName(runs.Root) + "/grpo"));
        Assert.Null(catalog.Resolve("/etc"));
        Assert.Null(catalog.Resolve("sweep")); // a folder, but not a run
        Assert.NotNull(catalog.ResolveFile("grpo", "reward.png"));
        Assert.Null(catalog.ResolveFile("grpo", "../grpo/eval.json"));
        Assert.Null(catalog.ResolveFile("grpo", "metrics.jsonl")); // served through the tail API only
        // A symbolic link out of the root is neither listed nor resolved, as a folder or as a file.
        using var outside = new TestDirectory();
        File.WriteAllText(outside.File("metrics.jsonl"), "{}\n");
        File.WriteAllText(outside.File("secret.json"), "{}");
        Directory.CreateSymbolicLink(runs.Run("linked"), outside.Path);
        File.CreateSymbolicLink(Path.Combine(runs.Run("grpo"), "secret.json"), outside.File("secret.json"));
        Assert.DoesNotContain(catalog.List(), r => r.Id == "linked");
        Assert.Null(catalog.Resolve("linked"));
        Assert.Null(catalog.ResolveFile("grpo", "secret.json"));
    }

    [Fact]
    public void TheTailReturnsOnlyWholeLinesAndStartsOverWhenTheFileShrinks()
    {
        using var dir = new TestDirectory();
        string path = dir.File("metrics.jsonl");
        File.WriteAllText(path, "{\"step\":1}\n{\"step\":2}\n{\"st");
        var first = JsonLinesTail.Read(path, 0);
        Assert.Equal(["{\"step\":1}", "{\"step\":2}"], first.Lines);
        Assert.Equal(22, first.Offset);
        Assert.Empty(JsonLinesTail.Read(path, first.Offset).Lines); // the half-written line waits
        File.AppendAllText(path, "ep\":3}\n");
        var second = JsonLinesTail.Read(path, first.Offset);
        Assert.Equal(["{\"step\":3}"], second.Lines);
        File.WriteAllText(path, "{\"step\":1}\n"); // rewritten shorter (a resumed run drops its later steps)
        var restarted = JsonLinesTail.Read(path, second.Offset);
        Assert.True(restarted.Restarted);
        Assert.Equal(["{\"step\":1}"], restarted.Lines);
    }

    [Fact]
    public async Task TheApiServesRunsTailsFilesAndThePageAndRefusesWhatLiesOutside()
    {
        using var runs = new DashboardRuns();
        File.AppendAllText(Path.Combine(runs.Run("grpo"), "metrics.jsonl"), "not json\n");
        await using var server = new DashboardServer(new DashboardOptions { Runs = runs.Root, Port = 0 });
        await server.StartAsync();
        using var http = new HttpClient { BaseAddress = server.Address };
        Assert.StartsWith("http://127.0.0.1:", server.Address.ToString()); // loopback by default

        using var listed = JsonDocument.Parse(await http.GetStringAsync("api/runs"));
        Assert.Equal(2, listed.RootElement.GetArrayLength());
        using var metrics = JsonDocument.Parse(await http.GetStringAsync("api/metrics?run=grpo&offset=0"));
        Assert.Equal(3, metrics.RootElement.GetProperty("rows").GetArrayLength()); // the line that is not JSON is skipped
        long offset = metrics.RootElement.GetProperty("offset").GetInt64();
        File.AppendAllText(Path.Combine(runs.Run("grpo"), "metrics.jsonl"), DashboardRuns.MetricsLine(4) + "\n");
        using var more = JsonDocument.Parse(await http.GetStringAsync($"api/metrics?run=grpo&offset={offset}"));
        Assert.Equal(4, more.RootElement.GetProperty("rows")[0].GetProperty("step").GetInt32());
        using var completions = JsonDocument.Parse(await http.GetStringAsync("api/completions?run=grpo"));
        Assert.Equal(0.87, completions.RootElement.GetProperty("rows")[0].GetProperty("advantage").GetDouble());

        var png = await http.GetAsync("api/file?run=grpo&name=reward.png");
        Assert.Equal("image/png", png.Content.Headers.ContentType?.MediaType);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], (await png.Content.ReadAsByteArrayAsync())[..4]);
        Assert.Contains("<title>Rlpt dashboard</title>", await http.GetStringAsync(""));
        Assert.Contains("uPlot", await http.GetStringAsync("assets/uPlot.iife.min.js"));
        foreach (var refused in new[] { "api/metrics?run=../..", "api/metrics?run=nope", "api/file?run=grpo&name=..%2F..%2Fetc%2Fpasswd",
                     "api/file?run=..&name=passwd", "assets/..%2Fapp.js", "v1/models" })
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(refused)).StatusCode);
        Assert.Throws<ArgumentException>(() => new DashboardServer(new DashboardOptions { Runs = Path.Combine(runs.Root, "missing") }));
    }
}
