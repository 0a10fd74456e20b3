using Rlpt.Decision.Models;
using static TorchSharp.torch;

namespace Rlpt.Decision.InContext.Ad;

/// <summary>
/// Algorithm Distillation (Laskin et al.): a causal transformer over windows of learning histories, trained by
/// L = −Σ_t log P(a_t | h_{t−1}, o_t) to predict the source's next action at every step of the window. Windows span
/// episode boundaries, so the model sees improvement across episodes. Each step's windows are drawn from a stream
/// seeded by (seed, step): the step is the whole data position.
/// </summary>
public sealed class AdAlgorithm : InContextTrainer
{
    /// <summary>Held-out windows scored at each evaluation: drawn once, so every evaluation scores the same ones.</summary>
    private const int HeldOutWindowCount = 512;

    private readonly InContextTrainingConfig config;
    private readonly LearningHistories train;
    private readonly LearningHistories? heldOut;
    private readonly (int History, int Start)[]? heldOutWindows;

    public AdAlgorithm(InContextTrainingConfig config, LearningHistories train, LearningHistories? heldOut, Device device)
        : base(config, ModelConfigFor(config, train), device)
    {
        if (config.SequenceLength > train.Length)
            throw new ArgumentException($"sequence_length {config.SequenceLength} is longer than a history ({train.Length} steps).");
        if (heldOut is not null && (heldOut.Family != train.Family || heldOut.Length < config.SequenceLength))
            throw new ArgumentException("the held-out histories come from another task family or are shorter than a window.");
        this.config = config;
        this.train = train;
        this.heldOut = heldOut;
        heldOutWindows = heldOut is null ? null : Windows(heldOut, HeldOutWindowCount, config.SequenceLength, new Random(config.Seed));
    }

    public static TransitionTransformerConfig ModelConfigFor(InContextTrainingConfig config, LearningHistories data) =>
        ModelShape(config with { Method = "ad" }, data.Family, AdTokens.InputSize(data.Family.ObservationSize, data.Family.ActionCount), config.SequenceLength);

    public override string Name => "ad";

    /// <summary>Windows seen over the windows a dataset holds (one per history and start step).</summary>
    protected override double Epoch(int steps) => (double)steps * config.BatchSize / ((double)train.Count * (train.Length - config.SequenceLength + 1));

    protected override (Tensor Loss, Tensor Correct) TrainingLoss(int step)
    {
        var random = new Random(unchecked(config.Seed * 1_000_003 + step * 7_919) & int.MaxValue);
        return WindowLoss(Policy, train, Windows(train, config.BatchSize, config.SequenceLength, random), config.SequenceLength, Device);
    }

    protected override (double Loss, double Accuracy)? HeldOut() => heldOut is null ? null
        : Average(heldOutWindows!.Length, config.BatchSize, rows => WindowLoss(Policy, heldOut, rows.Select(r => heldOutWindows[r]).ToArray(), config.SequenceLength, Device));

    public static (Tensor Loss, Tensor Correct) WindowLoss(TransitionTransformer model, LearningHistories data, IReadOnlyList<(int History, int Start)> windows, int length, Device device)
    {
        var (tokens, targets) = AdTokens.Build(data, windows, length, device);
        return ActionLoss(model.Forward(tokens), targets);
    }

    /// <summary>Uniform windows: a history, then a start step with the whole window inside it.</summary>
    public static (int History, int Start)[] Windows(LearningHistories data, int count, int length, Random random) =>
        Enumerable.Range(0, count).Select(_ => (random.Next(data.Count), random.Next(data.Length - length + 1))).ToArray();
}
