using Rlpt.Decision.Environments;
using Rlpt.Decision.Environments.Control;
using Rlpt.Decision.Offline.Collection;
using Rlpt.Decision.Offline.Data;

namespace Rlpt.Tests.Decision.Offline;

/// <summary>Small datasets built by hand or by a known controller, for the offline tests.</summary>
internal static class OfflineTestData
{
    /// <summary>CartPole's balancing feedback rule (push towards the side the pole falls to), which holds 500 steps.</summary>
    public static float[] Balance(float[] observation) => [observation[2] + 0.5f * observation[3] > 0 ? 1f : 0f];

    public static EpisodeDataset CartPole(Func<float[], Random, float[]> policy, int transitions, int seed, params (string Key, string Value)[] metadata)
    {
        var recorder = DatasetKinds.Play(new CartPole(), policy, transitions, new Random(seed));
        var all = new Dictionary<string, string> { [DatasetMetadata.Environment] = "CartPole-v1", [DatasetMetadata.ActionKind] = "discrete" };
        foreach (var (key, value) in metadata) all[key] = value;
        return recorder.ToDataset(all);
    }

    /// <summary>Episodes given as (observation, action, reward) rows, each episode ending terminally.</summary>
    public static EpisodeDataset FromEpisodes(params (float Observation, float Action, float Reward)[][] episodes)
    {
        var recorder = new EpisodeRecorder(1, 1);
        foreach (var episode in episodes)
            for (int t = 0; t < episode.Length; t++)
            {
                bool last = t == episode.Length - 1;
                float next = last ? episode[t].Observation : episode[t + 1].Observation;
                recorder.Add([episode[t].Observation], [episode[t].Action], new StepResult([next], episode[t].Reward, last, false));
            }
        return recorder.ToDataset(new Dictionary<string, string> { [DatasetMetadata.ActionKind] = "discrete" });
    }
}
