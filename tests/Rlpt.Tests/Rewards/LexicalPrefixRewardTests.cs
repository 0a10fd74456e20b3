using Rlpt.Rewards;

namespace Rlpt.Tests.Rewards;

public class LexicalPrefixRewardTests
{
    private const string Segment = "The old lighthouse keeper climbed the stairs every evening at dusk.";
    private const string Next = "He lit the lamp and watched the ships pass the rocky point.";
    private static readonly string Continuation = Segment + " " + Next;

    private static double Score(string? prediction, LexicalPrefixOptions? options = null) =>
        new LexicalPrefixReward(options).Score(Inputs.Make(prediction, Segment, Continuation));

    [Fact]
    public void Exact_prefix_scores_1() => Assert.Equal(1, Score("the old lighthouse keeper climbed the stairs every evening at dusk"));

    [Fact]
    public void One_changed_word_is_within_tolerance() =>
        Assert.Equal(1, Score("The old lighthouse keeper climbed the steps every evening at dusk."));

    [Fact]
    public void Running_on_into_the_next_segment_scores_1() =>
        Assert.Equal(1, Score(Segment + " He lit the lamp"));

    [Fact]
    public void Half_of_the_segment_is_enough_coverage() =>
        Assert.Equal(1, Score("The old lighthouse keeper climbed the stairs"));

    [Fact]
    public void Wrong_content_scores_0() => Assert.Equal(0, Score("Stock markets fell sharply on Tuesday after the announcement."));

    [Fact]
    public void Starting_at_the_next_segment_is_not_a_prefix() => Assert.Equal(0, Score(Next));

    [Fact]
    public void Too_short_prediction_scores_0() => Assert.Equal(0, Score("The old lighthouse"));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ... ")]
    public void Missing_or_empty_prediction_scores_0(string? prediction) => Assert.Equal(0, Score(prediction));

    [Fact]
    public void Dense_returns_the_similarity()
    {
        var score = Score("The old lighthouse keeper climbed the steps every evening at dusk.", new LexicalPrefixOptions(Dense: true));
        Assert.Equal(1 - 1 / 11.0, score, 9);
    }

    [Fact]
    public void Similarity_picks_the_best_prefix_length()
    {
        // An inserted word: the best prefix is the 4-word one, at distance 1 over 5 words.
        var (similarity, length) = LexicalPrefixReward.BestPrefixMatch(["a", "b", "x", "c", "d"], ["a", "b", "c", "d", "e", "f"]);
        Assert.Equal(0.8, similarity, 9);
        Assert.Equal(4, length);
    }

    [Fact]
    public async Task Scores_a_batch_in_order()
    {
        var batch = new[] { Inputs.Make(Segment, Segment, Continuation), Inputs.Make("nothing alike here at all", Segment, Continuation) };
        var result = await new LexicalPrefixReward().ScoreAsync(batch, CancellationToken.None);
        Assert.Equal([1.0, 0.0], result.Scores);
        Assert.Equal(0, result.Failures);
    }
}
