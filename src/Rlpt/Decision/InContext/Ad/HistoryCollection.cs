using Rlpt.Decision.Bandits;
using Rlpt.Decision.Environments;

namespace Rlpt.Decision.InContext.Ad;

/// <summary>
/// Runs a source learner on every training task of a grid family and records its learning histories. With
/// action noise p, each executed action is uniformly random with probability p (the noisy datasets
/// of the LHF paper: 70% learner, 30% random actions); the learner still learns from what was executed. Each history
/// has its own seeded stream, so history i is the same whatever the count.
/// </summary>
public static class HistoryCollection
{
    /// <param name="heldOut">Collect on the held-out tasks (for a held-out loss) rather than the training tasks.</param>
    /// <param name="slowestSpeed">
    /// Histories of varied quality: each history's learner gets a speed drawn log-uniformly from [slowestSpeed, 1]
    /// (<see cref="SourceLearners.Create"/>), as the LHF paper's histories come from learners that learn well or badly.
    /// Default 1: every learner the same.
    /// </param>
    public static LearningHistories Collect(TaskFamily family, string source, int historiesPerTask, int episodes, double actionNoise, int seed, bool heldOut = false, double slowestSpeed = 1)
    {
        family.Validate();
        if (historiesPerTask < 1 || episodes < 1) throw new ArgumentException($"histories per task ({historiesPerTask}) and episodes ({episodes}) must be positive.");
        if (actionNoise is < 0 or > 1) throw new ArgumentException($"action noise must lie in [0, 1] (got {actionNoise}).");
        if (slowestSpeed is <= 0 or > 1) throw new ArgumentException($"the slowest learner's speed must lie in (0, 1] (got {slowestSpeed}).");
        var tasks = family.GridTasks(heldOut);
        string name = source + (slowestSpeed < 1 ? FormattableString.Invariant($"+speeds{slowestSpeed}-1") : "") + (actionNoise > 0 ? FormattableString.Invariant($"+noise{actionNoise}") : "");
        var histories = new LearningHistories(family, tasks.Count * historiesPerTask, episodes, name);
        Parallel.For(0, histories.Count, h =>
        {
            int index = h % tasks.Count;
            var task = tasks[index].Clone();
            var random = new Random(unchecked(seed * 8_191 + h * 131_071 + (heldOut ? 1_000_000_007 : 0)) & int.MaxValue);
            double speed = slowestSpeed < 1 ? Math.Exp(Math.Log(slowestSpeed) * random.NextDouble()) : 1;
            Record(histories, h, task, SourceLearners.Create(source, task, episodes, speed), actionNoise, random);
            histories.Tasks[h] = index;
        });
        return histories;
    }

    /// <summary>
    /// Histories of a bandit algorithm (ts, linucb, ucb, emp: the family's online baselines) on fresh tasks of a bandit
    /// family, one task per history and one episode of horizon pulls: the data of Lin, Bai &amp; Mei's transformers
    /// that imitate LinUCB or Thompson sampling in context.
    /// </summary>
    public static LearningHistories CollectBandit(TaskFamily family, string source, int count, int seed, bool heldOut = false)
    {
        family.Validate();
        if (!family.IsBandit) throw new ArgumentException($"{family.Name} is not a bandit family.");
        var learner = BanditBaselines.Online(family).FirstOrDefault(l => l.Name == source)
            ?? throw new ArgumentException($"unknown bandit source '{source}' for {family.Name} (known: {string.Join(", ", BanditBaselines.Online(family).Select(l => l.Name))}).");
        var histories = new LearningHistories(family, count, 1, source);
        Parallel.For(0, count, h =>
        {
            var random = TaskSampling.Stream(seed, h, heldOut);
            var bandit = family.SampleBandit(random);
            var history = new BanditHistory(bandit.Arms);
            for (int t = 0; t < family.Horizon; t++)
            {
                int arm = learner.Choose(history, random);
                double reward = bandit.Pull(arm, random);
                history.Add(arm, reward);
                histories.Actions[h * histories.Length + t] = arm;
                histories.Rewards[h * histories.Length + t] = (float)reward;
            }
            histories.Tasks[h] = h;
        });
        return histories;
    }

    private static void Record(LearningHistories histories, int history, IGridTask task, ISourceLearner learner, double actionNoise, Random random)
    {
        int o = histories.Family.ObservationSize, t = history * histories.Length;
        for (int episode = 0; episode < histories.Episodes; episode++)
        {
            var observation = task.Reset();
            while (true)
            {
                int state = task.State, action = learner.Act(task, episode, random);
                if (actionNoise > 0 && random.NextDouble() < actionNoise) action = random.Next(task.ActionCount);
                var step = task.Step(action);
                observation.CopyTo(histories.Observations, t * o);
                histories.Actions[t] = action;
                histories.Rewards[t] = (float)step.Reward;
                learner.Observe(state, action, step.Reward, task.State);
                t++;
                if (step.Done) break;
                observation = step.Observation;
            }
        }
    }
}
