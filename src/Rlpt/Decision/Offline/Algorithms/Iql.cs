using Rlpt.Decision.Offline.Data;
using Rlpt.Decision.Offline.Models;
using Rlpt.Decision.Offline.Networks;
using Rlpt.Decision.Offline.Training;
using Rlpt.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Rlpt.Decision.Offline.Algorithms;

/// <summary>
/// Implicit Q-learning (Kostrikov et al. 2021): never queries actions outside the data. V(s) is an expectile
/// (τ = iql_expectile, 0.7) of min Q′(s, a_data): L = |τ − 1(u &lt; 0)|·u², u = Q′ − V; the twin critics regress on
/// r + γ·(1 − terminal)·V(s′); the actor does advantage-weighted regression, −exp(β(Q′ − V))·log π(a_data|s) with the
/// weight clipped at 100 and β = iql_beta (3, CORL's locomotion setting).
/// </summary>
public sealed class Iql : OfflineAlgorithm
{
    private const double MaxWeight = 100;
    private readonly TanhGaussianActor actor;
    private readonly TwinCritic critic;
    private readonly TwinCritic target_critic;
    private readonly Mlp value;
    private readonly AdamW actorOptimizer;
    private readonly AdamW criticOptimizer;
    private readonly AdamW valueOptimizer;

    public Iql(OfflinePolicyConfig shape, OfflineTrainingConfig config) : base(nameof(Iql), shape, config)
    {
        var scale = new ActionScale(shape.ActionLow, shape.ActionHigh, shape.ActionSize);
        actor = new TanhGaussianActor(shape.ObservationSize, scale, shape.HiddenSize, shape.NumLayers);
        critic = new TwinCritic(shape.ObservationSize, shape.ActionSize, shape.HiddenSize, shape.NumLayers);
        target_critic = new TwinCritic(shape.ObservationSize, shape.ActionSize, shape.HiddenSize, shape.NumLayers);
        value = new Mlp(shape.ObservationSize, 1, shape.HiddenSize, shape.NumLayers);
        RegisterComponents();
        TargetNetwork.Copy(critic, target_critic);
        foreach (var parameter in target_critic.parameters()) parameter.requires_grad = false;
        actorOptimizer = AddOptimizer("actor", actor.named_parameters());
        criticOptimizer = AddOptimizer("critic", critic.named_parameters());
        valueOptimizer = AddOptimizer("value", value.named_parameters());
    }

    /// <summary>The expectile loss |τ − 1(u &lt; 0)|·u², averaged.</summary>
    public static Tensor ExpectileLoss(Tensor u, double expectile)
    {
        using Scalar tau = expectile, zero = 0.0;
        var weight = (u.lt(zero).to(u.dtype).neg() + tau).abs();
        return (weight * u.square()).mean();
    }

    public override IReadOnlyDictionary<string, double> Update(TransitionBatch batch)
    {
        using var scope = NewDisposeScope();
        var observations = scaler.forward(batch.Observations);
        var next = scaler.forward(batch.NextObservations);
        using Scalar gamma = Config.Gamma, beta = Config.IqlBeta, maxWeight = MaxWeight;

        var targetQ = target_critic.Min(observations, batch.Actions).detach();
        var v = value.forward(observations).squeeze(-1);
        var advantage = targetQ - v;
        var valueLoss = ExpectileLoss(advantage, Config.IqlExpectile);
        Minimize(valueLoss, valueOptimizer);

        var target = (batch.Rewards + batch.Continues * value.forward(next).squeeze(-1) * gamma).detach();
        var (q1, q2) = critic.forward(observations, batch.Actions);
        var criticLoss = nn.functional.mse_loss(q1, target) + nn.functional.mse_loss(q2, target);
        Minimize(criticLoss, criticOptimizer);

        var weights = (advantage.detach() * beta).exp().clamp_max(maxWeight);
        var actorLoss = -(weights * actor.LogProb(observations, batch.Actions)).mean();
        Minimize(actorLoss, actorOptimizer);
        TargetNetwork.Update(critic, target_critic, Config.Tau);

        return new Dictionary<string, double>
        {
            ["loss"] = criticLoss.item<float>(),
            ["critic_loss"] = criticLoss.item<float>(),
            ["value_loss"] = valueLoss.item<float>(),
            ["actor_loss"] = actorLoss.item<float>(),
            ["v_mean"] = v.mean().item<float>(),
            ["q_mean"] = q1.mean().item<float>(),
        };
    }

    public override Tensor Act(Tensor observations) => actor.forward(scaler.forward(observations));

    public override Tensor? StateValue(Tensor observations) => value.forward(scaler.forward(observations)).squeeze(-1);

    public override Tensor? ActionValue(Tensor observations, Tensor actions) => critic.Min(scaler.forward(observations), actions);
}
