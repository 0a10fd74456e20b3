using Rlpt.Data;
using Rlpt.Data.Store;
using Rlpt.Tests.Training;
using Rlpt.Training;
using Rlpt.Training.Pretraining;

namespace Rlpt.Tests.Training.Pretraining;

public sealed class PackedBatchSamplerTests
{
    // "a" documents hold the word "apple", "b" documents "banana", each word numbered so no two windows are alike.
    private static TokenDataset TwoSources(TestDirectory dir)
    {
        var documents = Enumerable.Range(0, 60).Select(i => i % 2 == 0
            ? new Document("a", $"a{i}", string.Join(' ', Enumerable.Range(40 * i, 40).Select(k => $"apple{k}")))
            : new Document("b", $"b{i}", string.Join(' ', Enumerable.Range(40 * i, 40).Select(k => $"banana{k}")))).ToArray();
        var tokenizer = TextDatasetPreparation.TrainTokenizer(documents, 400);
        TokenDatasetBuilder.Build(documents, tokenizer, dir.File("ds"), new DatasetBuildOptions { HeldOutFraction = 0.1 });
        return TokenDataset.Open(dir.File("ds"));
    }

    private static List<long[]> Draw(PackedBatchSampler sampler, int batches, int width)
    {
        var result = new List<long[]>();
        for (int i = 0; i < batches; i++)
        {
            var buffer = new long[4 * width];
            sampler.Next(4, buffer);
            result.Add(buffer);
        }
        return result;
    }

    [Fact]
    public void AnEpochVisitsEveryWindowOnceAndTheOrderIsAFunctionOfSeedAndPosition()
    {
        using var dir = new TestDirectory();
        using var data = TwoSources(dir);
        var sampler = new PackedBatchSampler(data.Train, 16, seed: 3);
        int windows = sampler.WindowCount;
        var firstEpoch = Draw(sampler, windows / 4, 17);
        var seen = firstEpoch.SelectMany(b => b.Chunk(17)).Select(w => string.Join(',', w)).ToArray();
        Assert.Equal(seen.Length, seen.Distinct().Count());

        var resumed = new PackedBatchSampler(data.Train, 16, seed: 3, epoch: sampler.Epoch, index: sampler.Index);
        Assert.Equal(Draw(sampler, 5, 17), Draw(resumed, 5, 17));
        var otherSeed = new PackedBatchSampler(data.Train, 16, seed: 4);
        Assert.NotEqual(firstEpoch[0], Draw(otherSeed, 1, 17)[0]);
    }

    [Fact]
    public void SourceWeightsShiftTheMixture()
    {
        using var dir = new TestDirectory();
        using var data = TwoSources(dir);
        var tokenizer = data.LoadTokenizer();
        double AppleShare(IReadOnlyList<double>? weights)
        {
            var sampler = new PackedBatchSampler(data.Train, 16, seed: 1, weights);
            var windows = Draw(sampler, 100, 17).SelectMany(b => b.Chunk(17)).Select(w => tokenizer.Decode(w.Select(t => (int)t))).ToArray();
            return windows.Count(w => w.Split("apple").Length > w.Split("banana").Length) / (double)windows.Length;
        }
        double even = AppleShare(null);
        double favoured = AppleShare([4.0, 1.0]);
        Assert.InRange(even, 0.35, 0.65);
        Assert.InRange(favoured, 0.72, 0.9); // 4:1 by weight → 0.8 expected
    }
}
