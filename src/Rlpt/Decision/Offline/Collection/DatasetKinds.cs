using System.Globalization;
using Rlpt.Decision.Environments.Control;
using Rlpt.Decision.Offline.Online;
using Rlpt.Decision.Offline.Data;
using static TorchSharp.torch;

namespace Rlpt.Decision.Offline.Collection;

/// <summary>
/// The five dataset kinds of Schweighofer et al. ("A dataset perspective on offline RL", 2022), each from a policy Rlpt
/// trained itself (double DQN, or SAC on continuous tasks): random (uniform actions), expert (the online run's best
/// greedy policy), mixed (80 % random and 20 % expert transitions), noisy (the expert, with a uniform random action
/// 20 % of the time) and replay (every transition of the online run). Episodes are kept whole, so a dataset holds at least the requested transitions and at most one episode more.
/// </summary>
public static class DatasetKinds
{
    public static readonly string[] Names = ["random", "expert", "mixed", "noisy", "replay"];
    public const double NoisyEpsilon = 0.2;
    public const double MixedRandomShare = 0.8;

    /// <summary>Every kind, with the random and expert datasets' mean returns as each one's reference returns.</summary>
    public static Dictionary<string, EpisodeDataset> Build(OnlineRun run, int transitions, int seed, Device device)
    {
        var environmentId = run.Shape.Environment;
        var environment = ControlEnvironments.Create(environmentId);
        Func<float[], Random, float[]> uniform = (_, random) => environment.Actions.Sample(random);
        Func<float[], Random, float[]> expert = (observation, _) => OnlineTraining.Act(run.Policy.Act, observation, device);
        Func<float[], Random, float[]> noisy = (observation, random) => random.NextDouble() < NoisyEpsilon ? environment.Actions.Sample(random) : expert(observation, random);
        var recordings = new Dictionary<string, EpisodeRecorder>
        {
            ["random"] = Play(environment, uniform, transitions, new Random(seed + 1)),
            ["expert"] = Play(environment, expert, transitions, new Random(seed + 2)),
            ["noisy"] = Play(environment, noisy, transitions, new Random(seed + 3)),
            ["replay"] = run.Replay,
        };
        var mixed = Play(environment, uniform, (int)Math.Round(MixedRandomShare * transitions), new Random(seed + 4));
        mixed.Append(Play(environment, expert, transitions - (int)Math.Round(MixedRandomShare * transitions), new Random(seed + 5)));
        recordings["mixed"] = mixed;
        var datasets = recordings.ToDictionary(kv => kv.Key, kv => kv.Value.ToDataset(new Dictionary<string, string>()));
        var randomReturn = datasets["random"].EpisodeReturns().Average();
        var expertReturn = datasets["expert"].EpisodeReturns().Average();
        return Names.ToDictionary(kind => kind, kind => datasets[kind].WithMetadata(new Dictionary<string, string>
        {
            [DatasetMetadata.Environment] = environmentId,
            [DatasetMetadata.Kind] = kind,
            [DatasetMetadata.Seed] = seed.ToString(CultureInfo.InvariantCulture),
            [DatasetMetadata.RandomReturn] = randomReturn.ToString("R", CultureInfo.InvariantCulture),
            [DatasetMetadata.ExpertReturn] = expertReturn.ToString("R", CultureInfo.InvariantCulture),
            [DatasetMetadata.ActionKind] = environment.Actions.Discrete ? "discrete" : "continuous",
            [DatasetMetadata.ActionCount] = environment.Actions.Count.ToString(CultureInfo.InvariantCulture),
        }));
    }

    /// <summary>Whole episodes of a policy until at least <paramref name="transitions"/> transitions are recorded.</summary>
    public static EpisodeRecorder Play(IControlEnvironment environment, Func<float[], Random, float[]> policy, int transitions, Random random)
    {
        var recorder = new EpisodeRecorder(environment.ObservationSize, environment.Actions.Size);
        while (recorder.Count < transitions)
        {
            var observation = environment.Reset(random);
            while (true)
            {
                var action = policy(observation, random);
                var step = environment.Step(action);
                recorder.Add(observation, action, step);
                if (step.Done) break;
                observation = step.Observation;
            }
        }
        return recorder;
    }
}
