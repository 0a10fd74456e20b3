using System.ComponentModel;
using System.Text.Json;
using Rlpt.Cli.Infrastructure;
using Rlpt.Generation;
using Rlpt.Interop.HuggingFace;
using Rlpt.Modeling;
using Spectre.Console.Cli;

namespace Rlpt.Cli.Commands;

public sealed class GenerateSettings : CommonSettings
{
    [CommandOption("--model <DIR>")]
    [Description("Model folder in Hugging Face layout (e.g. OUT/model of a pretrain run).")]
    public string? Model { get; init; }

    [CommandOption("-p|--prompt <TEXT>")]
    [Description("Prompt (repeatable; all prompts are decoded as one batch).")]
    public string[] Prompt { get; init; } = [];

    [CommandOption("--prompt-file <FILE>")]
    [Description("One prompt per line (.txt) or JSON Lines with a \"prompt\" field.")]
    public string? PromptFile { get; init; }

    [CommandOption("-n|--num-samples <N>")] [Description("Samples per prompt. Default: 1.")] [DefaultValue(1)] public int NumSamples { get; init; } = 1;
    [CommandOption("--max-new-tokens <N>")] [Description("Default: 128.")] [DefaultValue(128)] public int MaxNewTokens { get; init; } = 128;
    [CommandOption("--temperature <T>")] [Description("0 = greedy. Default: 1.0.")] [DefaultValue(1.0)] public double Temperature { get; init; } = 1.0;
    [CommandOption("--top-k <K>")] [Description("0 = off. Default: 0.")] public int TopK { get; init; }
    [CommandOption("--top-p <P>")] [Description("Nucleus mass; 1 = off. Default: 1.0.")] [DefaultValue(1.0)] public double TopP { get; init; } = 1.0;
    [CommandOption("--stop <TEXT>")] [Description("Stop string (repeatable).")] public string[] Stop { get; init; } = [];
    [CommandOption("--seed <N>")] [Description("Base seed; sample i of a prompt uses seed + i. Default: random.")] public int? Seed { get; init; }
    [CommandOption("--batch-size <N>")] [Description("Requests decoded together. Default: 64.")] [DefaultValue(64)] public int BatchSize { get; init; } = 64;
}

/// <summary>rlpt generate: batched sampling from a model; prints completions, writes JSONL with log-probs to --out.</summary>
public sealed class GenerateCommand : Command<GenerateSettings>
{
    public override int Execute(CommandContext context, GenerateSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Model is null) throw new ArgumentException("--model is required.");
        var prompts = settings.Prompt.Concat(ReadPromptFile(settings.PromptFile)).ToArray();
        if (prompts.Length == 0) throw new ArgumentException("give at least one --prompt or a --prompt-file.");
        if (settings.NumSamples < 1 || settings.BatchSize < 1) throw new ArgumentException("--num-samples and --batch-size must be at least 1.");
        var device = ComputeDevice.Configure(settings.Device, settings.Threads);
        var (model, tokenizer) = ModelFolder.Load(settings.Model, device);
        using var _ = model;
        var baseOptions = new SamplingOptions
        {
            MaxNewTokens = settings.MaxNewTokens, Temperature = settings.Temperature, TopK = settings.TopK,
            TopP = settings.TopP, StopStrings = settings.Stop,
        };
        baseOptions.Validate();
        int baseSeed = settings.Seed ?? Random.Shared.Next();
        var requests = prompts.SelectMany(p => Enumerable.Range(0, settings.NumSamples).Select(i =>
            new GenerationRequest(tokenizer.Encode(p), baseOptions with { Seed = baseSeed + i }))).ToArray();

        var generator = new BatchGenerator(model, tokenizer);
        var results = ProgressDisplay.Run(settings.Quiet || settings.Out is null && requests.Length == 1, display =>
        {
            var bar = display.AddBar("generate", requests.Length);
            var all = new List<GenerationResult>();
            foreach (var chunk in requests.Chunk(settings.BatchSize))
            {
                all.AddRange(generator.Generate(chunk, Interrupt.Token));
                bar.Update(all.Count);
            }
            return all;
        });

        for (int i = 0; i < results.Count; i++)
        {
            var prompt = prompts[i / settings.NumSamples];
            // Plain output: generated text must not be re-wrapped or read as markup.
            Console.WriteLine(prompt + results[i].Text);
            if (i < results.Count - 1) Console.WriteLine();
        }
        if (settings.Out is not null)
        {
            var run = new RunDirectory(settings.Out, settings.Quiet);
            run.WriteConfig(new { command = "generate", model = settings.Model, sampling = baseOptions, seed = baseSeed, num_samples = settings.NumSamples });
            var lines = results.Select((r, i) => JsonSerializer.Serialize(new
            {
                prompt = prompts[i / settings.NumSamples],
                completion = r.Text,
                finish_reason = r.FinishReason.ToString().ToLowerInvariant(),
                token_ids = r.TokenIds,
                logprobs = r.LogProbs,
                prompt_tokens = r.PromptTokens,
                seed = requests[i].Options.Seed,
            }));
            IO.AtomicFile.WriteAllText(run.File("generations.jsonl"), string.Join('\n', lines) + "\n");
        }
        return 0;
    }

    private static IEnumerable<string> ReadPromptFile(string? path)
    {
        if (path is null) return [];
        if (!File.Exists(path)) throw new FileNotFoundException($"prompt file not found: {path}", path);
        var lines = File.ReadLines(path).Where(l => l.Length > 0);
        if (!path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase)) return lines.ToArray();
        return lines.Select((line, i) =>
        {
            try
            {
                using var doc = JsonDocument.Parse(line);
                return doc.RootElement.GetProperty("prompt").GetString() ?? throw new InvalidDataException($"{path}:{i + 1}: \"prompt\" is null.");
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                throw new InvalidDataException($"{path}:{i + 1}: expected a JSON object with a string \"prompt\".");
            }
        }).ToArray();
    }
}
