using Rlpt.Data;

namespace Rlpt.Tests.Data;

public sealed class DecontaminationTests
{
    private const string Evaluation = "The quick brown fox jumps over the lazy dog while the cat sleeps on the warm mat by the door.";

    [Fact]
    public void ASharedThirteenWordRunIsFoundDespiteCaseAndPunctuation()
    {
        var decontamination = new Decontamination();
        decontamination.AddEvaluationText(Evaluation);
        var overlap = decontamination.FindOverlap("Intro text. THE QUICK brown fox -- jumps over the lazy dog, while the cat sleeps on... and more");
        Assert.Equal("the quick brown fox jumps over the lazy dog while the cat sleeps", overlap);
    }

    [Fact]
    public void TwelveSharedWordsAreNotContamination()
    {
        var decontamination = new Decontamination();
        decontamination.AddEvaluationText(Evaluation);
        // "the quick ... the cat" is 12 words; the 13th differs.
        Assert.Null(decontamination.FindOverlap("the quick brown fox jumps over the lazy dog while the cat snores"));
        Assert.Null(decontamination.FindOverlap("Completely unrelated text about arithmetic and numbers and other things entirely."));
    }

    [Fact]
    public void WordBoundariesMatter()
    {
        var decontamination = new Decontamination(n: 3);
        decontamination.AddEvaluationText("alpha beta gamma");
        Assert.Null(decontamination.FindOverlap("alphabeta gamma delta"));
        Assert.Equal("alpha beta gamma", decontamination.FindOverlap("x alpha beta gamma y"));
        Assert.Equal(1, decontamination.EvaluationGramCount);
    }
}
