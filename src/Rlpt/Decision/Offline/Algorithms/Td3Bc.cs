using Rlpt.Decision.Offline.Data;
using Rlpt.Decision.Offline.Models;
using Rlpt.Decision.Offline.Networks;
using Rlpt.Decision.Offline.Training;
using Rlpt.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Rlpt.Decision.Offline.Algorithms;

/// <summary>
/// TD3+BC (Fujimoto &amp; Gu 2021): TD3's twin critics with target-policy smoothing (noise 0.2, clipped at 0.5, both
/// times the half-range) and, every second update, the actor loss −λ·Q₁(s, π(s)) + (π(s) − a_data)² with
/// λ = α / mean|Q₁(s, π(s))| (α = td3bc_alpha, 2.5); Polyak targets for actor and critics.
/// </summary>
public sealed class Td3Bc : OfflineAlgorithm
{
    private const double PolicyNoise = 0.2, NoiseClip = 0.5;
    private const int PolicyDelay = 2;
    private readonly ActionScale scale;
    private readonly DeterministicActor actor;
    private readonly DeterministicActor target_actor;
    private readonly TwinCritic critic;
    private readonly TwinCritic target_critic;
    private readonly AdamW actorOptimizer;
    private readonly AdamW criticOptimizer;

    public Td3Bc(OfflinePolicyConfig shape, OfflineTrainingConfig config) : base(nameof(Td3Bc), shape, config)
    {
        scale = new ActionScale(shape.ActionLow, shape.ActionHigh, shape.ActionSize);
        actor = new DeterministicActor(shape.ObservationSize, scale, shape.HiddenSize, shape.NumLayers);
        target_actor = new DeterministicActor(shape.ObservationSize, scale, shape.HiddenSize, shape.NumLayers);
        critic = new TwinCritic(shape.ObservationSize, shape.ActionSize, shape.HiddenSize, shape.NumLayers);
        target_critic = new TwinCritic(shape.ObservationSize, shape.ActionSize, shape.HiddenSize, shape.NumLayers);
        RegisterComponents();
        TargetNetwork.Copy(actor, target_actor);
        TargetNetwork.Copy(critic, target_critic);
        foreach (var parameter in target_actor.parameters().Concat(target_critic.parameters())) parameter.requires_grad = false;
        actorOptimizer = AddOptimizer("actor", actor.named_parameters());
        criticOptimizer = AddOptimizer("critic", critic.named_parameters());
    }

    public override IReadOnlyDictionary<string, double> Update(TransitionBatch batch)
    {
        using var scope = NewDisposeScope();
        var observations = scaler.forward(batch.Observations);
        var next = scaler.forward(batch.NextObservations);
        using Scalar gamma = Config.Gamma, noise = PolicyNoise * scale.HalfRange, clip = NoiseClip * scale.HalfRange, negativeClip = -NoiseClip * scale.HalfRange, low = scale.Low, high = scale.High;
        Tensor target;
        using (no_grad())
        {
            var smoothing = (randn_like(batch.Actions) * noise).clamp(negativeClip, clip);
            var nextActions = (target_actor.forward(next) + smoothing).clamp(low, high);
            target = batch.Rewards + batch.Continues * target_critic.Min(next, nextActions) * gamma;
        }
        var (q1, q2) = critic.forward(observations, batch.Actions);
        var criticLoss = nn.functional.mse_loss(q1, target) + nn.functional.mse_loss(q2, target);
        Minimize(criticLoss, criticOptimizer);

        var metrics = new Dictionary<string, double>
        {
            ["loss"] = criticLoss.item<float>(),
            ["critic_loss"] = criticLoss.item<float>(),
            ["q_mean"] = q1.mean().item<float>(),
        };
        // The critic's step count is checkpointed, so the delayed actor keeps its phase across a resume.
        if (criticOptimizer.Step % PolicyDelay == 0)
        {
            var policy = actor.forward(observations);
            var q = critic.forward(observations, policy).Item1;
            using Scalar alpha = Config.Td3BcAlpha;
            var lambda = q.abs().mean().detach().reciprocal() * alpha;
            var actorLoss = -(lambda * q.mean()) + nn.functional.mse_loss(policy, batch.Actions);
            Minimize(actorLoss, actorOptimizer);
            criticOptimizer.ZeroGrad(); // the actor's loss also reached the critics
            TargetNetwork.Update(actor, target_actor, Config.Tau);
            TargetNetwork.Update(critic, target_critic, Config.Tau);
            metrics["actor_loss"] = actorLoss.item<float>();
        }
        return metrics;
    }

    public override Tensor Act(Tensor observations) => actor.forward(scaler.forward(observations));

    public override Tensor? StateValue(Tensor observations)
    {
        var scaled = scaler.forward(observations);
        return critic.Min(scaled, actor.forward(scaled));
    }

    public override Tensor? ActionValue(Tensor observations, Tensor actions) => critic.Min(scaler.forward(observations), actions);
}
