using Rlpt.Decision.Offline.Data;
using Rlpt.Decision.Offline.Models;
using Rlpt.Decision.Offline.Networks;
using Rlpt.Decision.Offline.Training;
using Rlpt.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Rlpt.Decision.Offline.Algorithms;

/// <summary>
/// DQN (Mnih et al. 2015) and double DQN (van Hasselt et al. 2016): Huber loss between Q(s, a) and
/// r + γ·(1 − terminal)·Q′(s′, a′), where a′ = argmax Q′(s′, ·) (DQN) or argmax Q(s′, ·) (double DQN) and Q′ is a
/// target network, copied every target_update_interval updates or Polyak-averaged. Subclasses add a regulariser on
/// the same Q-values (<see cref="DiscreteCql"/>).
/// </summary>
public class Dqn : OfflineAlgorithm
{
    private readonly bool doubleQ;
    private readonly Mlp q;
    private readonly Mlp target_q;
    private readonly AdamW optimizer;

    public Dqn(OfflinePolicyConfig shape, OfflineTrainingConfig config, bool doubleQ) : base(nameof(Dqn), shape, config)
    {
        this.doubleQ = doubleQ;
        q = new Mlp(shape.ObservationSize, shape.ActionCount, shape.HiddenSize, shape.NumLayers);
        target_q = new Mlp(shape.ObservationSize, shape.ActionCount, shape.HiddenSize, shape.NumLayers);
        RegisterComponents();
        TargetNetwork.Copy(q, target_q);
        foreach (var parameter in target_q.parameters()) parameter.requires_grad = false;
        optimizer = AddOptimizer("q", q.named_parameters());
    }

    /// <summary>Q-values [B, actions] of raw observations.</summary>
    public Tensor Values(Tensor observations) => q.forward(scaler.forward(observations));

    public override IReadOnlyDictionary<string, double> Update(TransitionBatch batch)
    {
        using var scope = NewDisposeScope();
        var metrics = new Dictionary<string, double>();
        var values = Values(batch.Observations);
        var taken = values.gather(1, batch.ActionIndices.unsqueeze(1)).squeeze(1);
        Tensor target;
        using (no_grad())
        {
            var next = scaler.forward(batch.NextObservations);
            var nextValues = target_q.forward(next);
            var nextActions = (doubleQ ? q.forward(next) : nextValues).argmax(1, keepdim: true);
            using Scalar gamma = Config.Gamma;
            target = batch.Rewards + batch.Continues * nextValues.gather(1, nextActions).squeeze(1) * gamma;
        }
        var tdLoss = nn.functional.smooth_l1_loss(taken, target);
        var loss = tdLoss;
        if (Regularizer(values, taken, metrics) is { } extra) loss = loss + extra;
        metrics["grad_norm"] = Minimize(loss, optimizer);
        // The optimizer's step count is checkpointed, so a resumed run keeps the copy schedule.
        if (Config.TargetUpdateInterval == 0) TargetNetwork.Update(q, target_q, Config.Tau);
        else if (optimizer.Step % Config.TargetUpdateInterval == 0) TargetNetwork.Copy(q, target_q);
        metrics["loss"] = loss.item<float>();
        metrics["td_loss"] = tdLoss.item<float>();
        metrics["q_mean"] = taken.mean().item<float>();
        return metrics;
    }

    /// <summary>An extra loss on the batch's Q-values [B, actions] and the taken actions' [B], or null (plain DQN).</summary>
    protected virtual Tensor? Regularizer(Tensor values, Tensor taken, Dictionary<string, double> metrics) => null;

    /// <summary>Copies the online network into the target now (an online loop's own schedule).</summary>
    public void SyncTarget() => TargetNetwork.Copy(q, target_q);

    public override Tensor Act(Tensor observations) => Values(observations).argmax(1).unsqueeze(1).to(ScalarType.Float32);

    public override Tensor? StateValue(Tensor observations) => Values(observations).amax(1);

    public override Tensor? ActionValue(Tensor observations, Tensor actions) =>
        Values(observations).gather(1, actions.to(ScalarType.Int64)).squeeze(1);
}
