using Rlpt.Decision.Offline.Data;
using Rlpt.Decision.Offline.Models;
using Rlpt.Decision.Offline.Networks;
using Rlpt.Decision.Offline.Training;
using Rlpt.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Rlpt.Decision.Offline.Algorithms;

/// <summary>
/// Behaviour cloning: maximum likelihood of the dataset's actions. Discrete: cross-entropy over action logits, acting
/// by argmax. Continuous: a deterministic tanh policy scaled to the action bounds, trained by mean squared error
/// (CORL's BC).
/// </summary>
public sealed class BehaviorCloning : nn.Module, IOfflineAlgorithm
{
    private readonly OfflinePolicyConfig shape;
    private readonly OfflineTrainingConfig config;
    private readonly ObservationScaler scaler;
    private readonly Mlp policy;
    private readonly AdamW optimizer;

    public BehaviorCloning(OfflinePolicyConfig shape, OfflineTrainingConfig config) : base(nameof(BehaviorCloning))
    {
        this.shape = shape;
        this.config = config;
        scaler = new ObservationScaler(shape.ObservationSize);
        policy = new Mlp(shape.ObservationSize, shape.Discrete ? shape.ActionCount : shape.ActionSize, shape.HiddenSize, shape.NumLayers);
        RegisterComponents();
        optimizer = new AdamW(policy.named_parameters(), beta2: 0.999, weightDecay: 0);
        Optimizers = new Dictionary<string, AdamW> { ["policy"] = optimizer };
    }

    public nn.Module Module => this;
    public ObservationScaler Scaler => scaler;
    public IReadOnlyDictionary<string, AdamW> Optimizers { get; }

    public IReadOnlyDictionary<string, double> Update(TransitionBatch batch)
    {
        using var scope = NewDisposeScope();
        var output = policy.forward(scaler.forward(batch.Observations));
        var loss = shape.Discrete
            ? nn.functional.cross_entropy(output, batch.ActionIndices)
            : nn.functional.mse_loss(Bounded(output), batch.Actions);
        loss.backward();
        var gradNorm = GradientClipping.ClipOrMeasure(optimizer.Parameters, config.MaxGradNorm);
        optimizer.StepWith(config.LearningRate);
        optimizer.ZeroGrad();
        return new Dictionary<string, double> { ["loss"] = loss.item<float>(), ["grad_norm"] = gradNorm };
    }

    public Tensor Act(Tensor observations)
    {
        var output = policy.forward(scaler.forward(observations));
        return shape.Discrete ? output.argmax(1).unsqueeze(1).to(ScalarType.Float32) : Bounded(output);
    }

    public Tensor? StateValue(Tensor observations) => null;

    private Tensor Bounded(Tensor raw)
    {
        using Scalar middle = (shape.ActionHigh + shape.ActionLow) / 2.0, half = (shape.ActionHigh - shape.ActionLow) / 2.0;
        return raw.tanh().mul(half).add(middle);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) optimizer.Dispose();
        base.Dispose(disposing);
    }
}
