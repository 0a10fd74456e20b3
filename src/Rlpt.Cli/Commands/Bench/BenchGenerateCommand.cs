using System.ComponentModel;
using Rlpt.Benchmarks;
using Rlpt.Cli.Infrastructure;
using Rlpt.Modeling;
using Rlpt.Tokenization;
using Spectre.Console.Cli;

namespace Rlpt.Cli.Commands.Bench;

public sealed class BenchGenerateSettings : BenchSettings
{
    [CommandOption("--batch-sizes <LIST>")] [Description("Comma-separated. Default: 1,16,64,256.")] [DefaultValue("1,16,64,256")] public string BatchSizes { get; init; } = "1,16,64,256";
    [CommandOption("--new-tokens <N>")] [Description("Tokens generated per row. Default: 128.")] [DefaultValue(128)] public int NewTokens { get; init; } = 128;
    [CommandOption("--prompt-tokens <N>")] [Description("Prompt length per row. Default: 32.")] [DefaultValue(32)] public int PromptTokens { get; init; } = 32;
}

/// <summary>rlpt bench generate: batched decoding tokens/s with the KV cache at several batch sizes.</summary>
public sealed class BenchGenerateCommand : Command<BenchGenerateSettings>
{
    public override int Execute(CommandContext context, BenchGenerateSettings settings, CancellationToken cancellationToken)
    {
        var batches = settings.BatchSizes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.TryParse(s, out var b) && b > 0 ? b : throw new ArgumentException($"--batch-sizes: '{s}' is not a positive integer.")).ToArray();
        if (settings.NewTokens < 1 || settings.PromptTokens < 1) throw new ArgumentException("--new-tokens and --prompt-tokens must be positive.");
        var device = ComputeDevice.Configure(settings.Device, settings.Threads);
        var preset = ModelPresets.Get(settings.Preset);
        // A byte-level tokenizer trained on synthetic text to the preset's vocabulary (decoding needs one; its
        // merges do not matter for speed). The model takes the size the trainer reached.
        var tokenizer = Tokenizer.Train(SyntheticText(preset.VocabSize), new BpeTrainerOptions { VocabSize = preset.VocabSize, MinFrequency = 1 });
        var config = preset with { VocabSize = tokenizer.VocabSize };
        var results = ProgressDisplay.Run(settings.Quiet, display =>
        {
            var bar = display.AddBar($"bench generate {settings.Preset}", batches.Length);
            int done = 0;
            return GenerationBenchmark.Run(config, tokenizer, batches, settings.PromptTokens, settings.NewTokens, device, r => bar.Update(++done, $"batch {r.BatchSize}: {r.TokensPerSecond:F0} tok/s"));
        });
        BenchOutput.Write($"generation throughput ({settings.Preset}, vocab {config.VocabSize})", results, settings.Json);
        return 0;
    }

    private static IEnumerable<string> SyntheticText(int vocabularySize)
    {
        var random = new Random(0);
        for (int document = 0; document < Math.Max(200, vocabularySize / 10); document++)
            yield return string.Join(' ', Enumerable.Range(0, 200).Select(_ => new string(Enumerable.Range(0, random.Next(2, 8)).Select(_ => (char)('a' + random.Next(26))).ToArray())));
    }
}
