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
public sealed class BehaviorCloning : OfflineAlgorithm
{
    private readonly bool discrete;
    private readonly ActionScale scale;
    private readonly Mlp policy;
    private readonly AdamW optimizer;

    public BehaviorCloning(OfflinePolicyConfig shape, OfflineTrainingConfig config) : base(nameof(BehaviorCloning), shape, config)
    {
        discrete = shape.Discrete;
        scale = new ActionScale(shape.ActionLow, shape.ActionHigh, shape.ActionSize);
        policy = new Mlp(shape.ObservationSize, shape.Discrete ? shape.ActionCount : shape.ActionSize, shape.HiddenSize, shape.NumLayers);
        RegisterComponents();
        optimizer = AddOptimizer("policy", policy.named_parameters());
    }

    public override IReadOnlyDictionary<string, double> Update(TransitionBatch batch)
    {
        using var scope = NewDisposeScope();
        var output = policy.forward(scaler.forward(batch.Observations));
        var loss = discrete
            ? nn.functional.cross_entropy(output, batch.ActionIndices)
            : nn.functional.mse_loss(scale.ToBox(output.tanh()), batch.Actions);
        double gradNorm = Minimize(loss, optimizer);
        return new Dictionary<string, double> { ["loss"] = loss.item<float>(), ["grad_norm"] = gradNorm };
    }

    public override Tensor Act(Tensor observations)
    {
        var output = policy.forward(scaler.forward(observations));
        return discrete ? output.argmax(1).unsqueeze(1).to(ScalarType.Float32) : scale.ToBox(output.tanh());
    }

    public override Tensor? StateValue(Tensor observations) => null;

    public override Tensor? ActionValue(Tensor observations, Tensor actions) => null;
}
