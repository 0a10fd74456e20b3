// A custom RL objective in a program of its own: prompts, a reward, registration by name, GRPO through the library's
// run loop, then the saved Hugging Face folder loaded back for generation.
// Usage: dotnet run --project samples/CustomObjective -- OUT_DIR
using System.Text.Json.Nodes;
using Rlpt.Data;
using Rlpt.Generation;
using Rlpt.Interop.HuggingFace;
using Rlpt.Modeling;
using Rlpt.Objectives;
using Rlpt.Rewards;
using Rlpt.Telemetry;
using Rlpt.Tokenization;
using Rlpt.Training.Rl;
using Rlpt.Training.Runs;
using static TorchSharp.torch;

var output = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "rlpt-sample-custom-objective");
if (Directory.Exists(output)) Directory.Delete(output, recursive: true);

// A tokenizer and a small random model, so the sample needs no download.
var lines = Enumerable.Range(0, 200).Select(i => new Document("sample", $"{i}", $"the cat sat on mat {i * 7919 % 1000} while dogs ran far away"));
var tokenizer = TextDatasetPreparation.TrainTokenizer(lines, 300);
using var policy = new CausalLM(new ModelConfig
{
    VocabSize = tokenizer.VocabSize, HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 1, NumAttentionHeads = 2, MaxPositionEmbeddings = 64, TieWordEmbeddings = true,
});
policy.InitializeWeights(3);

// Registered by name, like the built-in objectives (the library's evaluation finds it too).
ObjectiveRegistry.Register(new ObjectiveDefinition("starts-with-digit", "completions that start with a digit", typeof(object),
    setup => new DigitObjective(setup.Tokenizer), (setup, result, _) => result));
var definition = ObjectiveRegistry.Get("starts-with-digit");

var config = new GrpoConfig { NumGenerations = 8, PromptsPerStep = 4, MaxCompletionLength = 3, LearningRate = 1e-2, MaxSteps = 30, SaveEvery = 0, LogCompletionsEvery = 0, MicroBatchSize = 32 };
// This objective reads no dataset (Data: null), like RLVR's generated problems.
using var objective = definition.Create(new ObjectiveSetup(Data: null, policy, tokenizer, CPU, ObjectiveSetup.Defaults));
using var algorithm = new GrpoAlgorithm(config, policy, tokenizer, objective, CPU);
var run = new TrainingRun(output).Run(algorithm, resume: false);

var rewards = MetricsWriter.Read(Path.Combine(output, MetricsWriter.FileName)).Select(m => m["reward"].GetDouble()).ToArray();
Console.WriteLine($"reward: first steps {rewards.Take(3).Average():F2}, last steps {rewards.TakeLast(3).Average():F2}");

// The run exported a Hugging Face folder; load it back and sample from it.
var (model, loadedTokenizer) = ModelFolder.Load(run.ModelDirectory, CPU);
using (model)
{
    var prompt = loadedTokenizer.Encode("the cat");
    var samples = new BatchGenerator(model, loadedTokenizer).Generate(
        Enumerable.Range(0, 4).Select(i => new GenerationRequest(prompt, new SamplingOptions { MaxNewTokens = 3, Temperature = 1, Seed = i })).ToArray());
    foreach (var sample in samples) Console.WriteLine($"sample: the cat|{sample.Text}");
}

/// <summary>One fixed prompt; reward 1 when the completion starts with a digit.</summary>
sealed class DigitObjective(Tokenizer tokenizer) : IRlObjective
{
    public string Name => "starts-with-digit";
    public IRolloutReward Reward { get; } = new CompletionRewards(new RewardComposer([new WeightedReward(new StartsWithDigit(), 1.0)]),
        (prompt, completion) => new RewardInput("the cat", completion, completion, "", "", new Dictionary<string, string>()));
    public IReadOnlyList<IGroupFilter> Filters { get; } = [];
    public IReadOnlyDictionary<string, nn.Module> Modules { get; } = new Dictionary<string, nn.Module>();
    public RolloutPrompt NextPrompt(RlContext context) => new(tokenizer.Encode("the cat"), [], "the cat", new Dictionary<string, string>());
    public JsonObject SaveState() => new();
    public void RestoreState(JsonObject state) { }
    public void AfterUpdate(RlContext context) { }
    public void Dispose() { }
}

/// <summary>A text reward: 1 for a completion whose first character is a digit.</summary>
sealed class StartsWithDigit : IRewardFunction
{
    public string Name => "digit";
    public Task<RewardScores> ScoreAsync(IReadOnlyList<RewardInput> batch, CancellationToken cancellation) =>
        Task.FromResult(new RewardScores(batch.Select(b => b.Completion.Length > 0 && char.IsAsciiDigit(b.Completion[0]) ? 1.0 : 0.0).ToArray()));
}
