using Rlpt.Decision.Environments.Control;
using static TorchSharp.torch;

namespace Rlpt.Decision.Offline.Training;

/// <summary>Returns of evaluation episodes (undiscounted, and discounted by the evaluation's γ), with the D4RL-style normalised score when reference returns are known.</summary>
public sealed record EvaluationReturns(double[] Returns, double[] DiscountedReturns)
{
    public double Mean => Returns.Average();

    public double StandardDeviation => Math.Sqrt(Returns.Sum(r => (r - Mean) * (r - Mean)) / Returns.Length);

    /// <summary>100 · (G − G_random) / (G_expert − G_random), D4RL's normalisation with this dataset's reference returns.</summary>
    public static double Normalized(double value, double randomReturn, double expertReturn) => 100 * (value - randomReturn) / (expertReturn - randomReturn);
}

/// <summary>
/// d3rlpy's environment evaluator: a deterministic policy plays whole episodes. All episodes step in lockstep so each
/// step is one batched forward pass; episode i starts from the state seed + i draws, the same at every evaluation.
/// </summary>
public static class PolicyEvaluation
{
    public static EvaluationReturns Run(Func<Tensor, Tensor> act, string environmentId, int episodes, int seed, Device device, double gamma = 0.99)
    {
        var environments = Enumerable.Range(0, episodes).Select(_ => ControlEnvironments.Create(environmentId)).ToArray();
        var observations = environments.Select((e, i) => e.Reset(new Random(seed + i))).ToArray();
        var returns = new double[episodes];
        var discounted = new double[episodes];
        double weight = 1;
        var running = Enumerable.Range(0, episodes).ToList();
        int size = environments[0].ObservationSize;
        while (running.Count > 0)
        {
            float[] actions;
            int actionSize;
            using (var scope = NewDisposeScope())
            using (no_grad())
            {
                var batch = tensor(running.SelectMany(i => observations[i]).ToArray(), [running.Count, size], device: device);
                var chosen = act(batch).cpu();
                actionSize = (int)chosen.shape[1];
                actions = chosen.data<float>().ToArray();
            }
            var still = new List<int>(running.Count);
            for (int k = 0; k < running.Count; k++)
            {
                int i = running[k];
                var step = environments[i].Step(actions.AsSpan(k * actionSize, actionSize));
                returns[i] += step.Reward;
                discounted[i] += weight * step.Reward;
                observations[i] = step.Observation;
                if (!step.Done) still.Add(i);
            }
            running = still;
            weight *= gamma; // every running episode is at the same step
        }
        return new EvaluationReturns(returns, discounted);
    }
}
