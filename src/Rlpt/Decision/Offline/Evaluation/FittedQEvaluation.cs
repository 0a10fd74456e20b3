using Rlpt.Decision.Offline.Algorithms;
using Rlpt.Decision.Offline.Data;
using Rlpt.Decision.Offline.Models;
using Rlpt.Decision.Offline.Networks;
using Rlpt.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Rlpt.Decision.Offline.Evaluation;

/// <summary>FQE's estimate of a policy's discounted value from the dataset's initial states, and its last TD loss.</summary>
public sealed record FqeResult(double InitialStateValue, double TdLoss, int Steps);

/// <summary>
/// Fitted Q evaluation (Le et al. 2019; d3rlpy's FQE): off-policy evaluation without the environment. A fresh critic
/// regresses on r + γ·(1 − terminal)·Q′(s′, π(s′)) for the policy's own deterministic actions π(s′), with a Polyak
/// target (τ 0.005), Adam 3e-4, batch 256; the estimate is the mean Q(s₀, π(s₀)) over the dataset's episode starts.
/// </summary>
public static class FittedQEvaluation
{
    public static FqeResult Run(IOfflineAlgorithm policy, OfflinePolicyConfig shape, EpisodeDataset data, double gamma, int steps, int seed, Device device, int batchSize = 256)
    {
        if (steps < 1) throw new ArgumentException($"FQE needs at least one step (got {steps}).");
        manual_seed(seed);
        using var critic = new Critic(shape);
        critic.Scaler.Fit(data.Observations, data.ObservationSize);
        using var target = new Critic(shape);
        critic.to(device.type, device.index);
        target.to(device.type, device.index);
        TargetNetwork.Copy(critic, target);
        using var optimizer = new AdamW(critic.named_parameters(), beta2: 0.999, weightDecay: 0);
        var sampler = new TransitionSampler(data.Count, seed);
        double loss = double.NaN;
        using Scalar discount = gamma;
        for (int step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            var batch = TransitionBatch.Gather(data, sampler.Rows(step, batchSize), device);
            Tensor y;
            using (no_grad())
                y = batch.Rewards + batch.Continues * target.Value(batch.NextObservations, policy.Act(batch.NextObservations)) * discount;
            var tdLoss = nn.functional.mse_loss(critic.Value(batch.Observations, batch.Actions), y);
            tdLoss.backward();
            optimizer.StepWith(3e-4);
            optimizer.ZeroGrad();
            TargetNetwork.Update(critic, target, 0.005);
            loss = tdLoss.item<float>();
        }
        using var evaluation = NewDisposeScope();
        using var guard = no_grad();
        var starts = tensor(data.Episodes.SelectMany(e => data.Observation(e.Start).ToArray()).ToArray(), [data.Episodes.Count, data.ObservationSize], device: device);
        double value = critic.Value(starts, policy.Act(starts)).mean().item<float>();
        return new FqeResult(value, loss, steps);
    }

    /// <summary>Q(s, a): Q(s, ·) indexed by the action for discrete tasks, an MLP of [s; a] for continuous ones.</summary>
    private sealed class Critic : nn.Module
    {
        private readonly bool discrete;
        private readonly ObservationScaler scaler;
        private readonly Mlp q;

        public Critic(OfflinePolicyConfig shape) : base("FqeCritic")
        {
            discrete = shape.Discrete;
            scaler = new ObservationScaler(shape.ObservationSize);
            q = new Mlp(shape.ObservationSize + (discrete ? 0 : shape.ActionSize), discrete ? shape.ActionCount : 1, shape.HiddenSize, shape.NumLayers);
            RegisterComponents();
        }

        public ObservationScaler Scaler => scaler;

        public Tensor Value(Tensor observations, Tensor actions)
        {
            var scaled = scaler.forward(observations);
            return discrete
                ? q.forward(scaled).gather(1, actions.to(ScalarType.Int64)).squeeze(1)
                : q.forward(cat([scaled, actions], 1)).squeeze(1);
        }
    }
}
