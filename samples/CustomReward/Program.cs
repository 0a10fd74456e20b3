// A reward function of your own in GRPO: register it by name, then give it a weight in the built-in RLPT objective's
// reward composition, as `rlpt train --reward NAME=WEIGHT` does with the built-in ones.
// Usage: dotnet run --project samples/CustomReward -- OUT_DIR
using Rlpt.Data;
using Rlpt.Data.Segmentation;
using Rlpt.Data.Store;
using Rlpt.Modeling;
using Rlpt.Objectives;
using Rlpt.Objectives.Rlpt;
using Rlpt.Rewards;
using Rlpt.Telemetry;
using Rlpt.Training.Rl;
using Rlpt.Training.Runs;
using static TorchSharp.torch;

var output = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "rlpt-sample-custom-reward");
if (Directory.Exists(output)) Directory.Delete(output, recursive: true);

// A small corpus, tokenizer and dataset made here, so the sample needs no download.
string[] names = ["Ada", "Ben", "Cleo", "Dan"], verbs = ["reads", "writes", "draws"], things = ["a book", "the map", "a letter"];
var random = new Random(42);
var documents = Enumerable.Range(0, 80).Select(i => new Document("sample", $"doc{i}", string.Join(' ', Enumerable.Range(0, 6)
    .Select(_ => $"{names[random.Next(names.Length)]} {verbs[random.Next(verbs.Length)]} {things[random.Next(things.Length)]}.")))).ToArray();
var tokenizer = TextDatasetPreparation.TrainTokenizer(documents, 320);
TokenDatasetBuilder.Build(documents, tokenizer, Path.Combine(output, "data"), new DatasetBuildOptions
{
    HeldOutFraction = 0.1, SegmentationName = "sentence", Segmenter = text => Segmenter.Split(text).Select(s => (s.Start, s.End)).ToArray(),
});
using var data = TokenDataset.Open(Path.Combine(output, "data"));
using var policy = new CausalLM(new ModelConfig
{
    VocabSize = tokenizer.VocabSize, HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 1, NumAttentionHeads = 2, MaxPositionEmbeddings = 1024, TieWordEmbeddings = true,
});
policy.InitializeWeights(3);

// The reward, by name: RLPT's objective composes its rewards from the registry, so "names" sits next to "prefix".
RewardRegistry.Register("names", () => new MentionsAName(names));
var weights = new Dictionary<string, double> { ["names"] = 1.0, ["prefix"] = 0.5 };
Func<Type, object> options = type => type == typeof(RlptTaskOptions) ? new RlptTaskOptions { ContextTokens = 48 } : ObjectiveSetup.Defaults(type);
using var objective = ObjectiveRegistry.Get("rlpt").Create(new ObjectiveSetup(data, policy, tokenizer, CPU, options, RewardWeights: weights));
var config = new GrpoConfig { NumGenerations = 8, PromptsPerStep = 4, MaxCompletionLength = 6, LearningRate = 1e-2, MaxSteps = 30, SaveEvery = 0, LogCompletionsEvery = 10, MicroBatchSize = 32 };
using var algorithm = new GrpoAlgorithm(config, policy, tokenizer, objective, CPU);
new TrainingRun(output).Run(algorithm, resume: false);

// Each reward function is logged on its own (rewards/NAME/mean), as TRL does.
var scores = MetricsWriter.Read(Path.Combine(output, MetricsWriter.FileName)).Select(m => m["rewards/names/mean"].GetDouble()).ToArray();
Console.WriteLine($"rewards/names/mean: first steps {scores.Take(5).Average():F2}, last steps {scores.TakeLast(5).Average():F2}");

/// <summary>1 for a completion that mentions one of the corpus's names, else 0 (scored on the raw completion).</summary>
sealed class MentionsAName(string[] names) : IRewardFunction
{
    public string Name => "names";

    public Task<RewardScores> ScoreAsync(IReadOnlyList<RewardInput> batch, CancellationToken cancellation) =>
        Task.FromResult(new RewardScores(batch.Select(b => names.Any(n => b.Completion.Contains(n, StringComparison.Ordinal)) ? 1.0 : 0.0).ToArray()));
}
