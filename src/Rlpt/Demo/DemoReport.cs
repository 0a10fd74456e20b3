using System.Globalization;
using System.Text;
using System.Text.Json;
using Rlpt.Data.Store;
using Rlpt.Evaluation;
using Rlpt.IO;
using Rlpt.Telemetry;

namespace Rlpt.Demo;

/// <summary>report.md (with PNG plots) and report.json for a demo run: training curves and cold start vs RLPT vs control.</summary>
public static class DemoReport
{
    public static string Write(string runDirectory, DemoOptions options, TokenDatasetMeta data, IReadOnlyList<EvaluationResult> evaluations,
        IReadOnlyList<(string Prompt, string Completion)> samples, double seconds)
    {
        var pretrain = MetricsWriter.Read(Path.Combine(runDirectory, "pretrain", MetricsWriter.FileName));
        var rl = MetricsWriter.Read(Path.Combine(runDirectory, "rlpt", MetricsWriter.FileName));
        var evaluated = pretrain.Where(m => m.ContainsKey("val_loss")).ToArray();
        LinePlot.Save(Path.Combine(runDirectory, "pretrain_loss.png"), "Pretraining loss (Brown Corpus + arithmetic)", "step", "cross-entropy (nats/token)",
        [
            new Series("train", pretrain.Select(m => m["step"].GetDouble()).ToArray(), pretrain.Select(m => m["loss"].GetDouble()).ToArray()),
            new Series("held-out", evaluated.Select(m => m["step"].GetDouble()).ToArray(), evaluated.Select(m => m["val_loss"].GetDouble()).ToArray()),
        ]);
        var steps = rl.Select(m => m["step"].GetDouble()).ToArray();
        LinePlot.Save(Path.Combine(runDirectory, "rlpt_reward.png"), "RLPT training reward", "GRPO step", "mean reward",
            new[] { new Series("reward", steps, rl.Select(m => m["reward"].GetDouble()).ToArray()) }
                .Concat(rl[0].Keys.Where(k => k.StartsWith("rewards/", StringComparison.Ordinal)).Select(k => new Series(k, steps, rl.Select(m => m[k].GetDouble()).ToArray()))));
        EvaluationReport.SaveComparisonPlot(Path.Combine(runDirectory, "comparison.png"), evaluations);

        string F(double v, string format = "F3") => v.ToString(format, CultureInfo.InvariantCulture);
        var text = new StringBuilder();
        text.AppendLine("# Rlpt demo report").AppendLine();
        text.AppendLine($"RLPT on the default corpora on this machine ({Environment.ProcessorCount} cores), end to end in {F(seconds, "F0")} s. " +
            "Every number below was measured in this run. The hyper-parameters were chosen by the tuning runs in the repository's EXPERIMENTS.md, within a 20-minute CPU budget.").AppendLine();
        text.AppendLine("| stage | what ran |").AppendLine("|---|---|");
        text.AppendLine($"| data | Brown Corpus + {options.ArithmeticDocuments:N0} arithmetic documents: {data.Train.Documents:N0} training / {data.Validation.Documents:N0} held-out documents, {data.Train.Segments + data.Validation.Segments:N0} sentences |");
        text.AppendLine($"| pretraining | `{options.Preset}` preset, {pretrain.Count} steps × {options.Pretrain.BatchSize} × {options.Pretrain.SequenceLength} tokens; final held-out loss {F(evaluated.LastOrDefault()?["val_loss"].GetDouble() ?? double.NaN)} |");
        text.AppendLine($"| cold start | SFT on {options.SftExamples} ASR/MSR examples in the answer format, {options.Sft.Epochs} epoch(s) |");
        text.AppendLine($"| RLPT | GRPO, {rl.Count} steps × {options.Grpo.PromptsPerStep} prompts × {options.Grpo.NumGenerations} completions; rewards {string.Join(", ", options.Rewards.Select(r => $"{r.Key}×{r.Value}"))}; MSR share {options.Tasks.MsrFraction} |");
        text.AppendLine(options.ControlSteps is { } controlSteps
            ? $"| control | next-token pretraining from the cold start for {controlSteps} steps (a fixed budget, `control_steps`) |"
            : "| control | next-token pretraining from the cold start for the same training time as RLPT (the summed wall time of its steps) |");
        var decoding = options.Evaluation.Decoding;
        var decodingText = decoding.Temperature == 0 ? "greedy" : $"mean over {decoding.Samples} samples at temperature {decoding.Temperature}, top-p {decoding.TopP}";
        text.AppendLine($"| evaluation | {options.Evaluation.Tasks} held-out ASR/MSR tasks, {decodingText}, at most {decoding.MaxNewTokens} new tokens; perplexity on {options.Evaluation.PerplexityWindows} held-out windows |").AppendLine();
        // The comparison's own headings move one level down so they nest under this report's title.
        text.AppendLine(string.Join('\n', EvaluationReport.Comparison(evaluations).Split('\n').Select(l => l.StartsWith('#') ? "#" + l : l))).AppendLine();
        text.AppendLine("![comparison](comparison.png)").AppendLine();
        text.AppendLine("## Training curves").AppendLine();
        text.AppendLine("![pretraining loss](pretrain_loss.png)").AppendLine();
        text.AppendLine("![RLPT reward](rlpt_reward.png)").AppendLine();
        text.AppendLine($"Last RLPT step: reward {F(rl[^1]["reward"].GetDouble())}, share of groups with identical rewards {F(rl[^1]["frac_reward_zero_std"].GetDouble(), "P0")}, mean completion length {F(rl[^1]["completions/mean_length"].GetDouble(), "F1")} tokens.").AppendLine();
        text.AppendLine("## Samples from the pretrained model (temperature 0.8, top-p 0.95)").AppendLine();
        foreach (var (prompt, completion) in samples)
            text.AppendLine($"- **{prompt}**{completion.ReplaceLineEndings(" ")}");
        var path = Path.Combine(runDirectory, "report.md");
        AtomicFile.WriteAllText(path, text.ToString());
        AtomicFile.WriteAllText(Path.Combine(runDirectory, "report.json"), JsonSerializer.Serialize(new
        {
            seconds,
            options,
            pretrain = new { steps = pretrain.Count, val_loss = evaluated.LastOrDefault()?["val_loss"].GetDouble() },
            rlpt = new { steps = rl.Count, last_reward = rl[^1]["reward"].GetDouble() },
            evaluations = evaluations.Select(e => new { name = e.Name, metrics = EvaluationReport.Metrics(e) }),
            samples = samples.Select(s => new { prompt = s.Prompt, completion = s.Completion }),
        }, new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
        return path;
    }
}
