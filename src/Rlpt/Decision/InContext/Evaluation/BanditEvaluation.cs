using Rlpt.Decision.Bandits;
using Rlpt.Decision.Environments;
using Rlpt.Decision.InContext.Ad;
using Rlpt.Decision.InContext.Dpt;
using Rlpt.Decision.Models;
using static TorchSharp.torch;

namespace Rlpt.Decision.InContext.Evaluation;

/// <summary>Options of a bandit in-context evaluation; defaults are DPT's (200 test tasks).</summary>
public sealed record BanditEvaluationOptions
{
    public int Tasks { get; init; } = 200;
    public int Seed { get; init; } = 7;
}

/// <summary>
/// DPT's bandit evaluation on fresh tasks of the model's family. Offline: a context drawn as in training; after each
/// prefix of it every learner names its best arm (DPT greedily), scored by suboptimality μ* − μ_choice. Online: every
/// learner pulls for the horizon from an empty history (DPT sampling from its predicted distribution, decoding with a
/// KV cache), scored by cumulative expected regret Σ_t (μ* − μ_{a_t}). Baselines: Emp, UCB, LCB and Thompson sampling
/// (Gaussian prior for Gaussian arms, Beta for Bernoulli), LinUCB on linear bandits.
/// </summary>
public static class BanditEvaluation
{
    public const string Dpt = "dpt";

    public static BanditResult Run(TransitionTransformer model, BanditEvaluationOptions options, Device device)
    {
        var family = model.Config.Environment;
        if (!family.IsBandit) throw new ArgumentException($"{family.Name} is not a bandit family: use the Dark Room evaluation.");
        if (model.Config.Method == "ad") return RunImitation(model, options, device);
        int horizon = model.Config.MaxPositionEmbeddings - 1;
        var contexts = ContextSampling.Build(family, options.Tasks, horizon, options.Seed, heldOut: true);
        var bandits = Enumerable.Range(0, options.Tasks).Select(i => TaskSampling.Bandit(family, options.Seed, i, heldOut: true)).ToArray();
        return new BanditResult
        {
            Environment = family.Name,
            Tasks = options.Tasks,
            Horizon = horizon,
            OfflineSuboptimality = Offline(model, contexts, bandits, BanditBaselines.Offline(family), options.Seed, device),
            OnlineRegret = Online(model, bandits, BanditBaselines.Online(family), horizon, options.Seed, device),
        };
    }

    /// <summary>
    /// An AD model trained on a bandit algorithm's histories (Lin, Bai &amp; Mei's imitation of LinUCB or Thompson
    /// sampling) plays online, sampling from its prediction after the latest window of its own pulls; no offline part.
    /// </summary>
    private static BanditResult RunImitation(TransitionTransformer model, BanditEvaluationOptions options, Device device)
    {
        var family = model.Config.Environment;
        var bandits = Enumerable.Range(0, options.Tasks).Select(i => TaskSampling.Bandit(family, options.Seed, i, heldOut: true)).ToArray();
        var regret = new Dictionary<string, double[][]> { ["ad"] = OnlineImitation(model, bandits, family.Horizon, options.Seed, device) };
        foreach (var (name, table) in Online(null, bandits, BanditBaselines.Online(family), family.Horizon, options.Seed, device)) regret[name] = table;
        return new BanditResult { Environment = family.Name, Tasks = options.Tasks, Horizon = family.Horizon, OnlineRegret = regret };
    }

    private static double[][] OnlineImitation(TransitionTransformer model, IBandit[] bandits, int horizon, int seed, Device device)
    {
        int rows = bandits.Length;
        var randoms = Enumerable.Range(0, rows).Select(t => new Random(seed * 23 + t)).ToArray();
        var cumulative = Enumerable.Range(0, rows).Select(_ => new double[horizon]).ToArray();
        var context = new AdContext(rows, model.Config.MaxPositionEmbeddings, model.Config.InputSize, model.Config.ActionCount);
        var totals = new double[rows];
        float[] zero = [0f]; // bandits have one constant observation
        for (int step = 0; step < horizon; step++)
        {
            for (int t = 0; t < rows; t++) context.Observe(t, zero);
            double[][] probabilities;
            using (var scope = NewDisposeScope())
                probabilities = ActionChoice.Probabilities(model, context.Tokens(device));
            for (int t = 0; t < rows; t++)
            {
                int arm = ActionChoice.Choose(probabilities[t], greedy: false, randoms[t]);
                context.Record(t, arm, (float)bandits[t].Pull(arm, randoms[t]));
                cumulative[t][step] = totals[t] += bandits[t].Regret(arm);
            }
        }
        return cumulative;
    }

    /// <summary>Suboptimality [learner][task][prefix length 0..n].</summary>
    private static Dictionary<string, double[][]> Offline(TransitionTransformer model, TransitionContexts contexts, IBandit[] bandits, IReadOnlyList<IBanditLearner> learners, int seed, Device device)
    {
        int n = contexts.ContextLength, tasks = bandits.Length;
        var result = new Dictionary<string, double[][]>();
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var choices = model.Forward(DptTokens.Build(contexts, Enumerable.Range(0, tasks).ToArray(), n, device)).argmax(-1).to(ScalarType.Int64).cpu().data<long>().ToArray();
            result[Dpt] = Enumerable.Range(0, tasks).Select(t => Enumerable.Range(0, n + 1).Select(j => bandits[t].Regret((int)choices[t * (n + 1) + j])).ToArray()).ToArray();
        }
        foreach (var learner in learners)
            result[learner.Name] = Enumerable.Range(0, tasks).AsParallel().AsOrdered().Select(t =>
            {
                var random = new Random(seed * 17 + t);
                var history = new BanditHistory(bandits[t].Arms);
                var curve = new double[n + 1];
                for (int j = 0; j <= n; j++)
                {
                    curve[j] = bandits[t].Regret(learner.Choose(history, random));
                    if (j < n) history.Add(contexts.Actions[t * n + j], contexts.Rewards[t * n + j]);
                }
                return curve;
            }).ToArray();
        return result;
    }

    /// <summary>Cumulative regret [learner][task][step 1..T].</summary>
    private static Dictionary<string, double[][]> Online(TransitionTransformer? model, IBandit[] bandits, IReadOnlyList<IBanditLearner> learners, int horizon, int seed, Device device)
    {
        var result = model is null ? [] : new Dictionary<string, double[][]> { [Dpt] = OnlineDpt(model, bandits, horizon, seed, device) };
        foreach (var learner in learners)
            result[learner.Name] = Enumerable.Range(0, bandits.Length).AsParallel().AsOrdered()
                .Select(t => OnlinePlay.CumulativeRegret(learner, bandits[t], horizon, new Random(seed * 23 + t))).ToArray();
        return result;
    }

    private static double[][] OnlineDpt(TransitionTransformer model, IBandit[] bandits, int horizon, int seed, Device device)
    {
        int rows = bandits.Length, size = model.Config.InputSize, arms = model.Config.ActionCount;
        var randoms = Enumerable.Range(0, rows).Select(t => new Random(seed * 23 + t)).ToArray();
        var cumulative = Enumerable.Range(0, rows).Select(_ => new double[horizon]).ToArray();
        var totals = new double[rows];
        using var cache = model.NewCache(rows, horizon + 1);
        var zero = new float[1];
        var tokens = new float[rows * size]; // the first token is the (zero) query
        for (int step = 0; step < horizon; step++)
        {
            double[][] probabilities;
            using (var scope = NewDisposeScope())
                probabilities = ActionChoice.Probabilities(model, tensor(tokens, [rows, 1, size], device: device), cache);
            for (int t = 0; t < rows; t++)
            {
                int arm = ActionChoice.Choose(probabilities[t], greedy: false, randoms[t]);
                float reward = (float)bandits[t].Pull(arm, randoms[t]);
                cumulative[t][step] = totals[t] += bandits[t].Regret(arm);
                DptTokens.WriteTransition(tokens.AsSpan(t * size, size), zero, arm, zero, reward, arms);
            }
        }
        return cumulative;
    }
}
