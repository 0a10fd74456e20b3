using Rlpt.Decision.Offline.Data;
using Rlpt.Decision.Offline.Models;
using Rlpt.Decision.Offline.Networks;
using Rlpt.Decision.Offline.Training;
using Rlpt.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Rlpt.Decision.Offline.Algorithms;

/// <summary>
/// Soft actor-critic (Haarnoja et al. 2018) with automatic entropy tuning: twin critics regress on
/// r + γ·(1 − terminal)·(min Q′(s′, a′) − α log π(a′|s′)), a′ ~ π(s′); the squashed-Gaussian actor minimises
/// α log π(ã|s) − min Q(s, ã); α minimises −log α·(log π + H̄) with target entropy H̄ = −|A|. Subclasses add a
/// regulariser on the critics (<see cref="Cql"/>, <see cref="CalQl"/>).
/// </summary>
public class Sac : OfflineAlgorithm
{
    protected readonly TanhGaussianActor actor;
    protected readonly TwinCritic critic;
    private readonly TwinCritic target_critic;
    private readonly TorchSharp.Modules.Parameter log_alpha;
    private readonly AdamW actorOptimizer;
    private readonly AdamW criticOptimizer;
    private readonly AdamW alphaOptimizer;
    private readonly double targetEntropy;

    public Sac(OfflinePolicyConfig shape, OfflineTrainingConfig config) : base(nameof(Sac), shape, config)
    {
        Scale = new ActionScale(shape.ActionLow, shape.ActionHigh, shape.ActionSize);
        actor = new TanhGaussianActor(shape.ObservationSize, Scale, shape.HiddenSize, shape.NumLayers);
        critic = new TwinCritic(shape.ObservationSize, shape.ActionSize, shape.HiddenSize, shape.NumLayers);
        target_critic = new TwinCritic(shape.ObservationSize, shape.ActionSize, shape.HiddenSize, shape.NumLayers);
        log_alpha = new TorchSharp.Modules.Parameter(zeros(1));
        RegisterComponents();
        TargetNetwork.Copy(critic, target_critic);
        foreach (var parameter in target_critic.parameters()) parameter.requires_grad = false;
        targetEntropy = -shape.ActionSize;
        actorOptimizer = AddOptimizer("actor", actor.named_parameters());
        criticOptimizer = AddOptimizer("critic", critic.named_parameters());
        alphaOptimizer = AddOptimizer("alpha", [("log_alpha", log_alpha)]);
    }

    protected ActionScale Scale { get; }

    public override IReadOnlyDictionary<string, double> Update(TransitionBatch batch)
    {
        using var scope = NewDisposeScope();
        var metrics = new Dictionary<string, double>();
        var observations = scaler.forward(batch.Observations);
        var next = scaler.forward(batch.NextObservations);
        var alpha = log_alpha.exp().detach();
        using Scalar gamma = Config.Gamma;

        Tensor target;
        using (no_grad())
        {
            var (nextActions, nextLogProb) = actor.Sample(next);
            var soft = target_critic.Min(next, nextActions) - alpha * nextLogProb;
            target = batch.Rewards + batch.Continues * soft * gamma;
        }
        var (q1, q2) = critic.forward(observations, batch.Actions);
        var criticLoss = nn.functional.mse_loss(q1, target) + nn.functional.mse_loss(q2, target);
        if (Regularizer(observations, next, batch, q1, q2, metrics) is { } extra) criticLoss = criticLoss + extra;
        Minimize(criticLoss, criticOptimizer);

        var (actions, logProb) = actor.Sample(observations);
        var actorLoss = (alpha * logProb - critic.Min(observations, actions)).mean();
        Minimize(actorLoss, actorOptimizer);
        criticOptimizer.ZeroGrad(); // the actor's loss also reached the critics

        using Scalar entropy = targetEntropy;
        var alphaLoss = (log_alpha * (logProb.detach() + entropy)).neg().mean();
        Minimize(alphaLoss, alphaOptimizer);
        TargetNetwork.Update(critic, target_critic, Config.Tau);

        metrics["loss"] = metrics["critic_loss"] = criticLoss.item<float>();
        metrics["actor_loss"] = actorLoss.item<float>();
        metrics["alpha"] = alpha.item<float>();
        metrics["alpha_loss"] = alphaLoss.item<float>();
        metrics["entropy"] = -logProb.mean().item<float>();
        metrics["q_mean"] = q1.mean().item<float>();
        return metrics;
    }

    /// <summary>An extra critic loss on the batch (scaled observations, critics' values of the data), or null (plain SAC).</summary>
    protected virtual Tensor? Regularizer(Tensor observations, Tensor next, TransitionBatch batch, Tensor q1, Tensor q2, Dictionary<string, double> metrics) => null;

    public override Tensor Act(Tensor observations) => actor.forward(scaler.forward(observations));

    /// <summary>A sampled (exploring) action [B, act] for online interaction.</summary>
    public Tensor Explore(Tensor observations) => actor.Sample(scaler.forward(observations)).Action;

    public override Tensor? StateValue(Tensor observations)
    {
        var scaled = scaler.forward(observations);
        return critic.Min(scaled, actor.forward(scaled));
    }

    public override Tensor? ActionValue(Tensor observations, Tensor actions) => critic.Min(scaler.forward(observations), actions);
}
