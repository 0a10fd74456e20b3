using PuppeteerSharp;
using Rlpt.Dashboard;

namespace Rlpt.Tests.Dashboard;

/// <summary>
/// The dashboard in a real browser: Debian's chromium, headless, driven by PuppeteerSharp (no browser download; the
/// path comes from RLPT_CHROMIUM or /usr/bin/chromium). The tests skip, saying why, where no browser is installed;
/// .ci/run installs it.
/// </summary>
public sealed class DashboardBrowserTests
{
    private static readonly string? Chromium = new[] { Environment.GetEnvironmentVariable("RLPT_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser" }
        .FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p));

    public sealed class BrowserFactAttribute : FactAttribute
    {
        public BrowserFactAttribute()
        {
            if (Chromium is null) Skip = "no chromium: install Debian's chromium package (apt-get install chromium) or set RLPT_CHROMIUM to a browser.";
        }
    }

    [BrowserFact]
    public async Task CurvesAppearAndGrowAsTheRunWritesAndTheCompletionTableFilters()
    {
        using var runs = new DashboardRuns();
        await using var server = new DashboardServer(new DashboardOptions { Runs = runs.Root, Port = 0 });
        await server.StartAsync();
        await using var browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            ExecutablePath = Chromium, Headless = true, Browser = SupportedBrowser.Chromium,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
            // The suite runs process-heavy tests alongside; a loaded 2-core machine starts chromium slowly.
            Timeout = 120_000,
        });
        await using var page = await browser.NewPageAsync();
        await page.SetViewportAsync(new ViewPortOptions { Width = 1400, Height = 900 });
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e.Message);
        await page.GoToAsync(new Uri(server.Address, "#runs=grpo,sweep%2Flr-3e-5").ToString());

        // Both runs overlaid on the default metrics (loss, reward): 3 + 2 points each.
        var timeout = new WaitForFunctionOptions { Timeout = 20_000 };
        await page.WaitForFunctionAsync("() => document.querySelector('.chart[data-metric=\"loss\"]')?.dataset.points === '5'", timeout);
        Assert.Equal(2, await page.EvaluateExpressionAsync<int>("document.querySelectorAll('.chart').length"));
        Assert.True(await page.EvaluateExpressionAsync<bool>("document.querySelector('.chart[data-metric=\"reward\"] canvas') !== null"));
        // A metric picked from the list gets its own chart.
        await page.ClickAsync("input[data-metric=\"lr\"]");
        await page.WaitForFunctionAsync("() => document.querySelector('.chart[data-metric=\"lr\"]')?.dataset.points === '5'", timeout);

        // The run writes another step: the curve grows without a reload.
        File.AppendAllText(Path.Combine(runs.Run("grpo"), "metrics.jsonl"), DashboardRuns.MetricsLine(4) + "\n");
        await page.WaitForFunctionAsync("() => document.querySelector('.chart[data-metric=\"loss\"]').dataset.points === '6'", timeout);
        await page.ScreenshotAsync(Path.Combine(RepositoryPaths.Artifacts, "dashboard-metrics.png"));

        // The completions table: every logged completion with its per-function rewards and advantage, then filtered.
        await page.ClickAsync("nav button[data-tab=\"completions\"]");
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#completion-table tbody tr').length === 4", timeout);
        var headers = await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('#completion-table th')].map(t => t.textContent)");
        Assert.Contains("reward: accuracy", headers);
        Assert.Contains("advantage", headers);
        await page.ScreenshotAsync(Path.Combine(RepositoryPaths.Artifacts, "dashboard-completions.png"));
        await page.TypeAsync("#completion-filter", "7 * 6");
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#completion-table tbody tr').length === 2", timeout);
        await page.SelectAsync("#completion-step", "1");
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#completion-table tbody tr').length === 0", timeout);

        // The evaluations side by side, with their intervals.
        await page.ClickAsync("nav button[data-tab=\"evaluation\"]");
        await page.WaitForFunctionAsync("() => document.querySelectorAll('.estimates td.estimate').length === 2", timeout);
        var cells = await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('.estimates td.estimate')].map(t => t.textContent)");
        Assert.Equal(["0.5 [0.4, 0.6]", "0.3 [0.2, 0.45]"], cells);
        await page.ClickAsync("nav button[data-tab=\"plots\"]");
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('#plots img')].some(i => i.complete && i.naturalWidth > 0)", timeout);
        await page.ScreenshotAsync(Path.Combine(RepositoryPaths.Artifacts, "dashboard-plots.png"));
        Assert.Empty(errors);
    }
}
