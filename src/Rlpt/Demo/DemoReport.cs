using System.Globalization;
using System.Text;
using System.Text.Json;
using Rlpt.Data;
using Rlpt.Data.Store;
using Rlpt.IO;
using Rlpt.Modeling;
using Rlpt.Telemetry;

namespace Rlpt.Demo;

/// <summary>report.md + loss.png + report.json for a demo run.</summary>
public static class DemoReport
{
    public static string Write(string runDirectory, DemoOptions options, ModelConfig model, TokenDatasetMeta data,
        IReadOnlyList<Dictionary<string, JsonElement>> metrics, IReadOnlyList<(string Prompt, string Completion)> samples, double seconds)
    {
        var steps = metrics.Select(m => m["step"].GetDouble()).ToArray();
        var evaluations = metrics.Where(m => m.ContainsKey("val_loss")).ToArray();
        LinePlot.Save(Path.Combine(runDirectory, "loss.png"), "Pretraining loss (Brown Corpus + arithmetic)", "step", "cross-entropy (nats/token)",
        [
            new Series("train", steps, metrics.Select(m => m["loss"].GetDouble()).ToArray()),
            new Series("held-out", evaluations.Select(m => m["step"].GetDouble()).ToArray(), evaluations.Select(m => m["val_loss"].GetDouble()).ToArray()),
        ]);
        double validation = evaluations[^1]["val_loss"].GetDouble();
        double tokensPerSecond = metrics.Skip(Math.Min(3, metrics.Count - 1)).Average(m => m["tokens_per_second"].GetDouble());
        var text = new StringBuilder();
        string F(double v, string format = "F3") => v.ToString(format, CultureInfo.InvariantCulture);
        text.AppendLine("# Rlpt demo report").AppendLine();
        text.AppendLine($"Pretraining a {model.ModelType} model ({F(model.ParameterCount / 1e6, "F1")}M parameters, preset `{options.Preset}`) on the Brown Corpus and generated arithmetic documents, from scratch, on this machine ({Environment.ProcessorCount} cores).").AppendLine();
        text.AppendLine("| | |").AppendLine("|---|---|");
        text.AppendLine($"| training tokens (documents) | {data.Train.Tokens:N0} ({data.Train.Documents}) |");
        text.AppendLine($"| held-out tokens (documents) | {data.Validation.Tokens:N0} ({data.Validation.Documents}) |");
        text.AppendLine($"| steps × batch × sequence | {metrics.Count} × {options.Pretrain.BatchSize} × {options.Pretrain.SequenceLength} |");
        text.AppendLine($"| final train loss | {F(metrics[^1]["loss"].GetDouble())} |");
        text.AppendLine($"| held-out loss / perplexity | {F(validation)} / {F(Math.Exp(validation), "F1")} |");
        text.AppendLine($"| training throughput | {F(tokensPerSecond, "F0")} tokens/s |");
        text.AppendLine($"| wall time of this run | {F(seconds, "F0")} s |").AppendLine();
        text.AppendLine("![loss](loss.png)").AppendLine();
        text.AppendLine("## Samples (temperature 0.8, top-p 0.95)").AppendLine();
        foreach (var (prompt, completion) in samples)
            text.AppendLine($"- **{prompt}**{completion.ReplaceLineEndings(" ")}");
        var path = Path.Combine(runDirectory, "report.md");
        AtomicFile.WriteAllText(path, text.ToString());
        AtomicFile.WriteAllText(Path.Combine(runDirectory, "report.json"), JsonSerializer.Serialize(new
        {
            preset = options.Preset, parameters = model.ParameterCount, steps = metrics.Count,
            train_loss = metrics[^1]["loss"].GetDouble(), val_loss = validation, val_perplexity = Math.Exp(validation),
            tokens_per_second = tokensPerSecond, seconds,
            samples = samples.Select(s => new { prompt = s.Prompt, completion = s.Completion }),
        }, new JsonSerializerOptions { WriteIndented = true }));
        return path;
    }
}
