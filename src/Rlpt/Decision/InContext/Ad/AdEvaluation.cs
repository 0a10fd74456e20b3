using Rlpt.Decision.Environments;
using Rlpt.Decision.Models;
using static TorchSharp.torch;

namespace Rlpt.Decision.InContext.Ad;

/// <summary>Options of AD's in-context evaluation (AD^ε: greedy actions, 100 episodes).</summary>
public sealed record AdEvaluationOptions
{
    public int Episodes { get; init; } = 40;
    public bool Greedy { get; init; } = true;
    public int Seed { get; init; } = 7;
    /// <summary>Play only the first N tasks of each split (Key-to-Door has thousands). Default: all.</summary>
    public int? Tasks { get; init; }
}

/// <summary>
/// In-context evaluation of an AD model: on every training task and every held-out task, play episodes one after
/// another with no weight update; the model sees its own latest steps (a sliding window as long as its training
/// windows, across episode boundaries), so any improvement over the episodes is in-context learning.
/// </summary>
public static class AdEvaluation
{
    public static AdResult Run(TransitionTransformer model, AdEvaluationOptions options, Device device, Action? onEpisode = null)
    {
        var family = model.Config.Environment;
        if (family.IsBandit) throw new ArgumentException("AD evaluation plays grid families.");
        if (options.Tasks is < 1) throw new ArgumentException($"tasks must be positive (got {options.Tasks}).");
        IGridTask[] Split(bool heldOut) => family.GridTasks(heldOut).Take(options.Tasks ?? int.MaxValue).Select(r => r.Clone()).ToArray();
        var train = Split(heldOut: false);
        var heldOut = Split(heldOut: true);
        return new AdResult
        {
            Environment = family.Name,
            TrainReturns = Play(model, train, options, device, onEpisode),
            HeldOutReturns = Play(model, heldOut, options, device, onEpisode),
            TrainOptimalReturns = train.Select(r => r.OptimalReturn()).ToArray(),
            HeldOutOptimalReturns = heldOut.Select(r => r.OptimalReturn()).ToArray(),
        };
    }

    /// <summary>Returns [task][episode] of in-context play on the given tasks, all in lockstep.</summary>
    public static double[][] Play(TransitionTransformer model, IGridTask[] tasks, AdEvaluationOptions options, Device device, Action? onEpisode = null)
    {
        int rows = tasks.Length;
        var randoms = Enumerable.Range(0, rows).Select(i => new Random(options.Seed * 131 + i)).ToArray();
        var context = new AdContext(rows, model.Config.MaxPositionEmbeddings, model.Config.InputSize, model.Config.ActionCount);
        var returns = Enumerable.Range(0, rows).Select(_ => new double[options.Episodes]).ToArray();
        for (int episode = 0; episode < options.Episodes; episode++)
        {
            var observations = tasks.Select(r => r.Reset()).ToArray();
            for (int t = 0; t < tasks[0].Horizon; t++)
            {
                for (int r = 0; r < rows; r++) context.Observe(r, observations[r]);
                double[][] probabilities;
                using (var scope = NewDisposeScope())
                    probabilities = ActionChoice.Probabilities(model, context.Tokens(device));
                for (int r = 0; r < rows; r++)
                {
                    int action = ActionChoice.Choose(probabilities[r], options.Greedy, randoms[r]);
                    var step = tasks[r].Step(action);
                    returns[r][episode] += step.Reward;
                    context.Record(r, action, (float)step.Reward);
                    observations[r] = step.Observation;
                }
            }
            onEpisode?.Invoke();
        }
        return returns;
    }
}
