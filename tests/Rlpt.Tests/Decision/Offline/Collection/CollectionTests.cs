using Rlpt.Decision.Offline.Collection;
using Rlpt.Decision.Offline.Data;
using Rlpt.Decision.Offline.Online;
using static TorchSharp.torch;

namespace Rlpt.Tests.Decision.Offline.Collection;

[Collection(GlobalTorchRandom.Name)]
public sealed class CollectionTests
{
    [Fact]
    public void AnOnlineRunKeepsEveryTransitionAndItsBestPolicyAndTheFiveKindsAreBuiltFromIt()
    {
        var config = new OnlineConfig { TotalSteps = 600, RandomSteps = 100, LearningStarts = 100, EvalEvery = 200, EvalEpisodes = 2, HiddenSize = 16 };
        var (learner, shape) = OnlineTraining.Create("CartPole-v1", config, seed: 3, CPU);
        var records = new List<IReadOnlyDictionary<string, object>>();
        var run = OnlineTraining.Run(learner, shape, config, seed: 3, CPU, new OnlineOptions(KeepBest: true, Record: records.Add));
        using var expert = run.Policy;
        Assert.Equal("double_dqn", run.Shape.Algorithm);
        Assert.Equal(600, run.Replay.Count);
        Assert.Equal(600, records.Count);
        Assert.Equal(run.Replay.Episodes, records.Count(r => r.ContainsKey("episode_return")));
        Assert.DoesNotContain(records.Take(99), r => r.ContainsKey("td_loss"));
        Assert.Contains(records.Skip(99), r => r.ContainsKey("td_loss"));
        Assert.Equal([200, 400, 600], run.Curve.Select(p => p.Step));
        Assert.Equal(run.Curve.Max(p => p.Return), run.BestReturn);

        var datasets = DatasetKinds.Build(run, transitions: 300, seed: 3, CPU);
        Assert.Equal(DatasetKinds.Names, datasets.Keys);
        Assert.Equal(600, datasets["replay"].Count);
        foreach (var kind in new[] { "random", "expert", "noisy", "mixed" })
        {
            Assert.InRange(datasets[kind].Count, 300, 300 + 2 * 500);
            Assert.Equal(kind, datasets[kind].Metadata[DatasetMetadata.Kind]);
            Assert.Equal("CartPole-v1", datasets[kind].Metadata[DatasetMetadata.Environment]);
        }
        var references = DatasetMetadata.ReferenceReturns(datasets["mixed"]);
        Assert.NotNull(references);
        Assert.Equal(datasets["random"].EpisodeReturns().Average(), references.Value.Random, 9);
        Assert.Equal(datasets["expert"].EpisodeReturns().Average(), references.Value.Expert, 9);
        // Every episode ends at a terminal or a time-limit cut, never both.
        foreach (var dataset in datasets.Values)
            Assert.All(Enumerable.Range(0, dataset.Count), row => Assert.False(dataset.Terminals[row] && dataset.Timeouts[row]));
    }
}
