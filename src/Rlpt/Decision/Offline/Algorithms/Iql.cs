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
public sealed class Iql : nn.Module, IOfflineAlgorithm
{
    private const double MaxWeight = 100;
    private readonly OfflineTrainingConfig config;
    private readonly ObservationScaler scaler;
    private readonly TanhGaussianActor actor;
    private readonly TwinCritic critic;
    private readonly TwinCritic target_critic;
    private readonly Mlp value;
    private readonly AdamW actorOptimizer;
    private readonly AdamW criticOptimizer;
    private readonly AdamW valueOptimizer;

    public Iql(OfflinePolicyConfig shape, OfflineTrainingConfig config) : base(nameof(Iql))
    {
        this.config = config;
        var scale = new ActionScale(shape.ActionLow, shape.ActionHigh, shape.ActionSize);
        scaler = new ObservationScaler(shape.ObservationSize);
        actor = new TanhGaussianActor(shape.ObservationSize, scale, shape.HiddenSize, shape.NumLayers);
        critic = new TwinCritic(shape.ObservationSize, shape.ActionSize, shape.HiddenSize, shape.NumLayers);
        target_critic = new TwinCritic(shape.ObservationSize, shape.ActionSize, shape.HiddenSize, shape.NumLayers);
        value = new Mlp(shape.ObservationSize, 1, shape.HiddenSize, shape.NumLayers);
        RegisterComponents();
        TargetNetwork.Copy(critic, target_critic);
        foreach (var parameter in target_critic.parameters()) parameter.requires_grad = false;
        actorOptimizer = new AdamW(actor.named_parameters(), beta2: 0.999, weightDecay: 0);
        criticOptimizer = new AdamW(critic.named_parameters(), beta2: 0.999, weightDecay: 0);
        valueOptimizer = new AdamW(value.named_parameters(), beta2: 0.999, weightDecay: 0);
        Optimizers = new Dictionary<string, AdamW> { ["actor"] = actorOptimizer, ["critic"] = criticOptimizer, ["value"] = valueOptimizer };
    }

    public nn.Module Module => this;
    public ObservationScaler Scaler => scaler;
    public IReadOnlyDictionary<string, AdamW> Optimizers { get; }

    /// <summary>The expectile loss |τ − 1(u &lt; 0)|·u², averaged.</summary>
    public static Tensor ExpectileLoss(Tensor u, double expectile)
    {
        using Scalar tau = expectile, zero = 0.0;
        var weight = (u.lt(zero).to(u.dtype).neg() + tau).abs();
        return (weight * u.square()).mean();
    }

    public IReadOnlyDictionary<string, double> Update(TransitionBatch batch)
    {
        using var scope = NewDisposeScope();
        var observations = scaler.forward(batch.Observations);
        var next = scaler.forward(batch.NextObservations);
        using Scalar gamma = config.Gamma, beta = config.IqlBeta, maxWeight = MaxWeight;

        var targetQ = target_critic.Min(observations, batch.Actions).detach();
        var v = value.forward(observations).squeeze(-1);
        var advantage = targetQ - v;
        var valueLoss = ExpectileLoss(advantage, config.IqlExpectile);
        Step(valueLoss, valueOptimizer);

        var target = (batch.Rewards + batch.Continues * value.forward(next).squeeze(-1) * gamma).detach();
        var (q1, q2) = critic.forward(observations, batch.Actions);
        var criticLoss = nn.functional.mse_loss(q1, target) + nn.functional.mse_loss(q2, target);
        Step(criticLoss, criticOptimizer);

        var weights = (advantage.detach() * beta).exp().clamp_max(maxWeight);
        var actorLoss = -(weights * actor.LogProb(observations, batch.Actions)).mean();
        Step(actorLoss, actorOptimizer);
        TargetNetwork.Update(critic, target_critic, config.Tau);

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

    private void Step(Tensor loss, AdamW optimizer)
    {
        loss.backward();
        GradientClipping.ClipOrMeasure(optimizer.Parameters, config.MaxGradNorm);
        optimizer.StepWith(config.LearningRate);
        optimizer.ZeroGrad();
    }

    public Tensor Act(Tensor observations) => actor.forward(scaler.forward(observations));

    public Tensor? StateValue(Tensor observations) => value.forward(scaler.forward(observations)).squeeze(-1);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            actorOptimizer.Dispose();
            criticOptimizer.Dispose();
            valueOptimizer.Dispose();
        }
        base.Dispose(disposing);
    }
}
