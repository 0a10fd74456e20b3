using Rlpt.Data.Cleaning;

namespace Rlpt.Tests.Data.Cleaning;

public class DeduplicatorTests
{
    private static string Words(int seed, int count)
    {
        var random = new Random(seed);
        return string.Join(" ", Enumerable.Range(0, count).Select(_ => new string(Enumerable.Range(0, random.Next(2, 9)).Select(_ => (char)('a' + random.Next(26))).ToArray())));
    }

    [Fact]
    public void ExactDuplicatesIgnoreCaseAndWhitespace()
    {
        var dedup = new ExactDeduplicator();
        Assert.True(dedup.IsNew("Hello  world.\nBye"));
        Assert.False(dedup.IsNew(" hello world. bye "));
        Assert.True(dedup.IsNew("Hello world. Bye!"));
    }

    [Fact]
    public void OneChangedWordIsANearDuplicateButUnrelatedAndHalfOverlappingTextsAreKept()
    {
        var dedup = new MinHashDeduplicator(new MinHashOptions());
        var original = Words(1, 200);
        var words = original.Split(' ');
        words[100] = "changed";
        var oneWordChanged = string.Join(" ", words);
        var halfOverlap = string.Join(" ", original.Split(' ')[..100]) + " " + Words(3, 100);

        Assert.True(dedup.IsNew(original));
        Assert.False(dedup.IsNew(oneWordChanged));
        Assert.True(dedup.IsNew(Words(2, 200)));
        Assert.True(dedup.IsNew(halfOverlap));
        Assert.False(dedup.IsNew(original.ToUpperInvariant().Replace(" ", ", ")));
    }

    [Fact]
    public void SignaturesEstimateJaccardAndAreDeterministicPerSeed()
    {
        var text = Words(4, 300);
        var half = string.Join(" ", text.Split(' ')[..150]) + " " + Words(5, 150);
        var a = new MinHashDeduplicator(new MinHashOptions());
        var b = new MinHashDeduplicator(new MinHashOptions());
        var otherSeed = new MinHashDeduplicator(new MinHashOptions { Seed = 7 });

        Assert.Equal(a.Signature(text), b.Signature(text));
        Assert.NotEqual(a.Signature(text), otherSeed.Signature(text));
        // 146 shared 5-gram shingles of 296 + 296 − 146 = 446: Jaccard ≈ 0.33.
        Assert.InRange(MinHashDeduplicator.EstimatedJaccard(a.Signature(text)!, a.Signature(half)!), 0.2, 0.46);
    }

    [Fact]
    public void BandingPutsTheSCurveAtTheThreshold()
    {
        Assert.Equal((11, 11), new MinHashOptions().Banding());
        Assert.Equal((16, 8), new MinHashOptions { Bands = 16, RowsPerBand = 8 }.Banding());
        var (bands, rows) = new MinHashOptions { Threshold = 0.5 }.Banding();
        Assert.InRange(Math.Pow(1.0 / bands, 1.0 / rows), 0.47, 0.53);
        Assert.Throws<ArgumentException>(() => new MinHashOptions { Bands = 20, RowsPerBand = 8 }.Banding());
    }
}
