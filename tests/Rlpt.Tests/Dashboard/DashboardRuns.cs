using System.Text.Json.Nodes;

namespace Rlpt.Tests.Dashboard;

/// <summary>A runs folder as training leaves it: a GRPO-like run with metrics, completions, an evaluation and a plot, and a second run to overlay.</summary>
internal sealed class DashboardRuns : IDisposable
{
    private readonly TestDirectory directory = new();

    public DashboardRuns()
    {
        Directory.CreateDirectory(Run("grpo"));
        File.WriteAllText(Path.Combine(Run("grpo"), "run_config.json"), """{"command": "train", "objective": "rlvr", "learning_rate": 1e-5}""");
        File.WriteAllLines(Path.Combine(Run("grpo"), "metrics.jsonl"), Enumerable.Range(1, 3).Select(MetricsLine));
        File.WriteAllLines(Path.Combine(Run("grpo"), "completions.jsonl"), [
            Completion(1, "What is 2 + 3?", "5", 1.0, 0.87), Completion(1, "What is 2 + 3?", "6", 0.0, -0.87),
            Completion(2, "What is 7 * 6?", "42", 1.0, 1.2), Completion(2, "What is 7 * 6?", "forty", 0.25, -1.2)]);
        File.WriteAllText(Path.Combine(Run("grpo"), "eval.json"), """{"name": "grpo", "kinds": [{"kind": "all", "reward": {"mean": 0.5, "low": 0.4, "high": 0.6}}]}""");
        Rlpt.Telemetry.LinePlot.Save(Path.Combine(Run("grpo"), "reward.png"), "reward", "step", "reward", [new Rlpt.Telemetry.Series("reward", [1.0, 2, 3], [0.1, 0.3, 0.5])]);
        Directory.CreateDirectory(Path.Combine(Run("grpo"), "checkpoints", "step-0000001"));
        File.WriteAllText(Path.Combine(Run("grpo"), "checkpoints", "step-0000001", "metrics.jsonl"), "{}\n"); // not a run of its own
        Directory.CreateDirectory(Run("sweep/lr-3e-5"));
        File.WriteAllLines(Path.Combine(Run("sweep/lr-3e-5"), "metrics.jsonl"), Enumerable.Range(1, 2).Select(MetricsLine));
        File.WriteAllText(Path.Combine(Run("sweep/lr-3e-5"), "eval.json"), """{"name": "b", "kinds": [{"kind": "all", "reward": {"mean": 0.3, "low": 0.2, "high": 0.45}}]}""");
    }

    public string Root => directory.Path;

    public string Run(string id) => Path.Combine(directory.Path, id);

    public static string MetricsLine(int step) =>
        new JsonObject { ["step"] = step, ["loss"] = 1.0 / step, ["reward"] = 0.1 * step, ["lr"] = 1e-5 }.ToJsonString();

    private static string Completion(int step, string prompt, string completion, double reward, double advantage) => new JsonObject
    {
        ["step"] = step, ["prompt"] = prompt, ["completion"] = completion, ["reward"] = reward,
        ["rewards"] = new JsonObject { ["accuracy"] = reward, ["format"] = 1.0 }, ["advantage"] = advantage,
    }.ToJsonString();

    public void Dispose() => directory.Dispose();
}
