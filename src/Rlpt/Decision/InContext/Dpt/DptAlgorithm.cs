using Rlpt.Decision.Models;
using Rlpt.Training;
using static TorchSharp.torch;

namespace Rlpt.Decision.InContext.Dpt;

/// <summary>
/// Decision-Pretrained Transformer training (Lee et al. 2023): minimise E Σ_j −log M(a* | s_q, D_j) over every prefix
/// D_j of each in-context dataset (j = 0 … n, the empty prefix included), i.e. cross-entropy at every position of one
/// causal forward. Epochs are seeded shuffles of the contexts.
/// </summary>
public sealed class DptAlgorithm : InContextTrainer
{
    private readonly InContextTrainingConfig config;
    private readonly TransitionContexts train;
    private readonly TransitionContexts? heldOut;

    public DptAlgorithm(InContextTrainingConfig config, TransitionContexts train, TransitionContexts? heldOut, Device device)
        : base(config, ModelConfigFor(config, train), device)
    {
        if (heldOut is not null && (heldOut.Family != train.Family || heldOut.ContextLength != train.ContextLength))
            throw new ArgumentException("the held-out contexts come from another task family or context length than the training ones.");
        this.config = config;
        this.train = train;
        this.heldOut = heldOut;
    }

    public static TransitionTransformerConfig ModelConfigFor(InContextTrainingConfig config, TransitionContexts data) =>
        ModelShape(config with { Method = "dpt" }, data.Family, DptTokens.InputSize(data.Family.ObservationSize, data.Family.ActionCount), data.ContextLength + 1);

    public override string Name => "dpt";

    protected override double Epoch(int steps) => (double)steps * config.BatchSize / train.Count;

    protected override (Tensor Loss, Tensor Correct) TrainingLoss(int step) =>
        PrefixLoss(Policy, train, EpochOrder.Batch(train.Count, config.BatchSize, config.Seed, step).ToArray(), Device);

    protected override (double Loss, double Accuracy)? HeldOut() =>
        heldOut is null ? null : Evaluate(Policy, heldOut, config.BatchSize, Device);

    /// <summary>Mean cross-entropy over samples × prefixes, and which predictions [rows, n + 1] were the optimal action.</summary>
    public static (Tensor Loss, Tensor Correct) PrefixLoss(TransitionTransformer model, TransitionContexts data, IReadOnlyList<int> samples, Device device)
    {
        var logits = model.Forward(DptTokens.Build(data, samples, data.ContextLength, device));
        var labels = tensor(samples.Select(s => (long)data.OptimalActions[s]).ToArray(), device: device).unsqueeze(1).expand(-1, logits.shape[1]);
        return ActionLoss(logits, labels);
    }

    /// <summary>Held-out loss and prefix-averaged accuracy over every sample of <paramref name="data"/>.</summary>
    public static (double Loss, double Accuracy) Evaluate(TransitionTransformer model, TransitionContexts data, int batchSize, Device device)
    {
        using var guard = no_grad();
        return Average(data.Count, batchSize, samples => PrefixLoss(model, data, samples, device));
    }
}
