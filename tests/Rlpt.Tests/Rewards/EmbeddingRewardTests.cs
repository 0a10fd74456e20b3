using Rlpt.Rewards;

namespace Rlpt.Tests.Rewards;

/// <summary>Uses the real MiniLM model (loaded once per process by <see cref="MiniLmEncoder"/>).</summary>
public class EmbeddingRewardTests
{
    private const string Segment = "The cat sat on the mat near the warm fireplace.";
    private const string Continuation = Segment + " Outside, snow kept falling over the quiet village.";

    [Fact]
    public async Task A_paraphrase_scores_higher_than_an_unrelated_sentence()
    {
        var batch = new[]
        {
            Inputs.Make("A cat was sitting on the rug by the cosy fireplace.", Segment, Continuation),
            Inputs.Make("Quarterly earnings at the bank beat analyst expectations.", Segment, Continuation),
            Inputs.Make(Segment, Segment, Continuation),
            Inputs.Make(null, Segment, Continuation),
        };
        var dense = await new EmbeddingReward(new EmbeddingRewardOptions(Dense: true)).ScoreAsync(batch, CancellationToken.None);
        Assert.True(dense.Scores[0] > dense.Scores[1] + 0.3, $"paraphrase {dense.Scores[0]:F3} vs unrelated {dense.Scores[1]:F3}");
        Assert.Equal(1, dense.Scores[2], 3);
        Assert.Equal(0, dense.Scores[3]);

        var binary = await new EmbeddingReward().ScoreAsync(batch, CancellationToken.None);
        Assert.Equal(1, binary.Scores[0]);
        Assert.Equal(0, binary.Scores[1]);
    }

    [Fact]
    public void Reference_prefix_spans_at_least_the_segment_and_about_the_prediction_length()
    {
        Assert.Equal(Segment, EmbeddingReward.ReferencePrefix(Inputs.Make("short", Segment, Continuation)));
        var longer = EmbeddingReward.ReferencePrefix(Inputs.Make(Segment + " Outside, snow kept", Segment, Continuation));
        Assert.Equal(Segment + " Outside, snow kept", longer);
    }
}
