using System.Globalization;
using System.Text;
using System.Text.Json;
using Rlpt.Decision.InContext.Ad;
using Rlpt.Decision.InContext.Dpt;
using Rlpt.Evaluation;
using Rlpt.Telemetry;

namespace Rlpt.Decision.InContext.Evaluation;

/// <summary>
/// Writes an in-context evaluation as eval.json (every per-task value), report.md (the summary with 95% bootstrap
/// intervals over tasks, next to the paper's figures) and PNG plots: Dark Room online returns per episode (mean ± SEM,
/// against the optimum and the offline returns), bandit cumulative regret and offline suboptimality per learner.
/// </summary>
public static class InContextReport
{
    public const string JsonFile = "eval.json", MarkdownFile = "report.md";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public static string Write(string directory, DarkRoomResult result, string model, string? note = null)
    {
        Directory.CreateDirectory(directory);
        IO.AtomicFile.WriteAllText(Path.Combine(directory, JsonFile), JsonSerializer.Serialize(result, Json));
        var curve = result.OnlineCurve;
        var episodes = Enumerable.Range(1, curve.Length).Select(e => (double)e).ToArray();
        LinePlot.Save(Path.Combine(directory, "online_returns.png"), $"{result.Environment}: online in-context returns on {result.HeldOutTasks} held-out tasks", "episode", "return",
        [
            new Series("DPT (sampled), mean", episodes, curve.Select(c => c.Mean).ToArray()),
            new Series("mean − SEM", episodes, curve.Select(c => c.Mean - c.Sem).ToArray()),
            new Series("mean + SEM", episodes, curve.Select(c => c.Mean + c.Sem).ToArray()),
            new Series("optimal", episodes, episodes.Select(_ => result.OnlineOptimalReturns.Average()).ToArray()),
            new Series("DPT offline (greedy)", episodes, episodes.Select(_ => result.OfflineGreedy.Mean).ToArray()),
        ]);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# In-context RL: {result.Environment}, model {model}");
        text.AppendLine();
        if (note is not null) text.AppendLine(note).AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"{result.HeldOutTasks} held-out tasks, context of {result.ContextLength} transitions. Means with 95% bootstrap intervals over evaluation episodes.");
        text.AppendLine();
        // The paper's offline figures (Lee et al. 2023, 10 × 10, horizon 100): Dark Room 61.5 (context 1.1), permuted 83.
        bool permuted = result.Environment == "darkroom_permuted";
        text.AppendLine(CultureInfo.InvariantCulture, $"| offline, fixed context of uniform random transitions | return | paper (DPT, {(permuted ? "permuted Dark Room" : "Dark Room")} 10×10) |");
        text.AppendLine("|---|---|---|");
        text.AppendLine(CultureInfo.InvariantCulture, $"| reward inside the context | {result.ContextReturn} | {(permuted ? "" : "1.1")} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| DPT, greedy | {result.OfflineGreedy} | |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| DPT, sampled | {result.OfflineSampled} | {(permuted ? "83" : "61.5")} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| optimal | {result.OptimalReturn} | |");
        text.AppendLine();
        if (result.ActionAccuracy is { } accuracy)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Greedy optimal-action rate after the whole offline context, every state as the query ({accuracy.ContextsShowingTheGoal} of {result.ContextReturns.Length} contexts show the goal): " +
                $"goal shown, elsewhere {accuracy.GoalShownElsewhere:F3}; goal shown, at the goal (stay) {accuracy.GoalShownAtGoal:F3}; goal not shown {accuracy.GoalNotShown:F3}.");
            text.AppendLine();
        }
        text.AppendLine("Online, from an empty context (sampled actions; the context keeps the latest episodes): mean ± SEM over tasks.");
        text.AppendLine();
        text.AppendLine("| episode | return |");
        text.AppendLine("|---|---|");
        foreach (int e in new[] { 1, 2, 3, 5, 10, 20, curve.Length }.Where(e => e <= curve.Length).Distinct())
            text.AppendLine(CultureInfo.InvariantCulture, $"| {e} | {curve[e - 1].Mean:F1} ± {curve[e - 1].Sem:F1} |");
        text.AppendLine();
        text.AppendLine("![online returns](online_returns.png)");
        var path = Path.Combine(directory, MarkdownFile);
        IO.AtomicFile.WriteAllText(path, text.ToString());
        return path;
    }

    public static string Write(string directory, BanditResult result, string model, string? note = null)
    {
        Directory.CreateDirectory(directory);
        IO.AtomicFile.WriteAllText(Path.Combine(directory, JsonFile), JsonSerializer.Serialize(result, Json));
        var steps = Enumerable.Range(1, result.Horizon).Select(t => (double)t).ToArray();
        LinePlot.Save(Path.Combine(directory, "online_regret.png"), $"{result.Environment}: online cumulative regret over {result.Tasks} tasks", "pulls", "cumulative regret",
            result.OnlineRegret.Select(kv => new Series(kv.Key, steps, ReturnStatistics.Curve(kv.Value).Select(c => c.Mean).ToArray())));
        var prefixes = Enumerable.Range(0, result.Horizon + 1).Select(t => (double)t).ToArray();
        if (result.OfflineSuboptimality.Count > 0)
            LinePlot.Save(Path.Combine(directory, "offline_suboptimality.png"), $"{result.Environment}: offline suboptimality over {result.Tasks} tasks", "context pulls", "μ* − μ(choice)",
                result.OfflineSuboptimality.Select(kv => new Series(kv.Key, prefixes, ReturnStatistics.Curve(kv.Value).Select(c => c.Mean).ToArray())));
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# In-context RL: {result.Environment}, model {model}");
        text.AppendLine();
        if (note is not null) text.AppendLine(note).AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"{result.Tasks} fresh tasks, horizon {result.Horizon}. Means with 95% bootstrap intervals over tasks.");
        text.AppendLine();
        text.AppendLine("| learner | online cumulative regret | offline suboptimality after the full context |");
        text.AppendLine("|---|---|---|");
        foreach (var name in result.OnlineRegret.Keys.Union(result.OfflineSuboptimality.Keys))
            text.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {(result.OnlineRegret.ContainsKey(name) ? result.FinalRegret(name).ToString() : "")} | {(result.OfflineSuboptimality.ContainsKey(name) ? result.FinalSuboptimality(name).ToString() : "")} |");
        text.AppendLine();
        text.AppendLine("![online regret](online_regret.png)");
        if (result.OfflineSuboptimality.Count > 0) text.AppendLine().AppendLine("![offline suboptimality](offline_suboptimality.png)");
        var path = Path.Combine(directory, MarkdownFile);
        IO.AtomicFile.WriteAllText(path, text.ToString());
        return path;
    }

    public static string Write(string directory, AdResult result, string model, string? note = null)
    {
        Directory.CreateDirectory(directory);
        IO.AtomicFile.WriteAllText(Path.Combine(directory, JsonFile), JsonSerializer.Serialize(result, Json));
        var train = ReturnStatistics.Curve(result.TrainReturns);
        var heldOut = ReturnStatistics.Curve(result.HeldOutReturns);
        var episodes = Enumerable.Range(1, train.Length).Select(e => (double)e).ToArray();
        LinePlot.Save(Path.Combine(directory, "in_context_returns.png"), $"{result.Environment}: AD in-context returns (mean over tasks)", "episode", "return",
        [
            new Series("training tasks", episodes, train.Select(c => c.Mean).ToArray()),
            new Series("held-out tasks", episodes, heldOut.Select(c => c.Mean).ToArray()),
            new Series("held-out − SEM", episodes, heldOut.Select(c => c.Mean - c.Sem).ToArray()),
            new Series("held-out + SEM", episodes, heldOut.Select(c => c.Mean + c.Sem).ToArray()),
            new Series("optimal (held-out)", episodes, episodes.Select(_ => result.HeldOutOptimalReturns.Average()).ToArray()),
        ]);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# Algorithm Distillation: {result.Environment}, model {model}");
        text.AppendLine();
        if (note is not null) text.AppendLine(note).AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"{result.TrainReturns.Length} training and {result.HeldOutReturns.Length} held-out tasks; episodes played one after another with no weight update. Mean ± SEM over tasks.");
        text.AppendLine();
        text.AppendLine("| episode | training tasks | held-out tasks |");
        text.AppendLine("|---|---|---|");
        foreach (int e in new[] { 1, 2, 5, 10, 20, train.Length }.Where(e => e <= train.Length).Distinct())
            text.AppendLine(CultureInfo.InvariantCulture, $"| {e} | {train[e - 1].Mean:F2} ± {train[e - 1].Sem:F2} | {heldOut[e - 1].Mean:F2} ± {heldOut[e - 1].Sem:F2} |");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Last 5 episodes, 95% bootstrap interval over tasks: training {Estimate.Of(AdResult.Final(result.TrainReturns))}, held-out {Estimate.Of(AdResult.Final(result.HeldOutReturns))}; optimal {result.HeldOutOptimalReturns.Average():F2} (held-out).");
        text.AppendLine();
        text.AppendLine("![in-context returns](in_context_returns.png)");
        var path = Path.Combine(directory, MarkdownFile);
        IO.AtomicFile.WriteAllText(path, text.ToString());
        return path;
    }
}
