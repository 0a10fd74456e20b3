using Rlpt.Data.Cleaning;

namespace Rlpt.Tests.Data.Cleaning;

public class QualityFilterTests
{
    private static readonly QualityFilter Filter = new(new QualityFilterOptions());

    private const string Prose =
        "The river rose slowly through the night, and by morning the lower fields were under water. Farmers moved their "
        + "animals to the hills while the children watched from the bridge.\nNobody had seen a flood like it in forty years, "
        + "the old men said, though each of them remembered a different one.\nBy noon the rain had stopped and the sun came "
        + "out over the drowned valley, bright and indifferent.";

    [Fact]
    public void OrdinaryProsePasses() => Assert.Null(Filter.Check(Prose));

    [Theory]
    [InlineData(QualityRejection.TooShort, "Too short to be a document.")]
    [InlineData(QualityRejection.TooFewWords, "Supercalifragilisticexpialidocious-antidisestablishmentarianism-floccinaucinihilipilification-pneumonoultramicroscopicsilicovolcanoconiosis-hippopotomonstrosesquippedaliophobia and some more words here.")]
    public void ShortDocumentsAreRejected(QualityRejection reason, string text) => Assert.Equal(reason, Filter.Check(text));

    [Fact]
    public void TooLongIsRejected() => Assert.Equal(QualityRejection.TooLong, Filter.Check(string.Concat(Enumerable.Repeat(Prose + "\n", 2000))));

    [Fact]
    public void HashtagSpamIsRejected() =>
        Assert.Equal(QualityRejection.TooManySymbols, Filter.Check(Prose + " " + string.Join(" ", Enumerable.Range(0, 20).Select(i => $"#tag{i}"))));

    [Fact]
    public void NumberTablesAreRejected() =>
        Assert.Equal(QualityRejection.TooFewAlphabetic, Filter.Check(string.Join("\n", Enumerable.Range(0, 40).Select(i => $"{i} | {i * 31 % 97} | {i * 7.5:0.0} | x"))));

    [Fact]
    public void RepeatedBoilerplateLinesAreRejected()
    {
        var lines = Prose.Split('\n').Concat(Enumerable.Repeat("Home", 3)).Concat(Enumerable.Repeat("Share this page", 3));
        Assert.Equal(QualityRejection.DuplicateLines, Filter.Check(string.Join("\n", lines)));
    }

    [Fact]
    public void ALongRepeatedLineIsRejectedByCharacterShare()
    {
        // One line of five repeats (0.2 ≤ 0.3 of lines), but its 220 characters are a quarter of the text.
        var sentence = "This very long sentence is repeated once as a whole line and makes up more than a fifth of the text, "
            + "because it goes on and on about nothing in particular until it is well over two hundred characters long.";
        Assert.Equal(QualityRejection.DuplicateLineCharacters, Filter.Check(Prose + "\n" + sentence + "\n" + sentence));
    }

    [Fact]
    public void PunctuationRuleIsOffByDefaultAndRejectsListsWhenOn()
    {
        var list = string.Join("\n", Enumerable.Range(0, 30).Select(i => $"menu item number {i} with words"));
        Assert.Null(Filter.Check(list));
        var strict = new QualityFilter(new QualityFilterOptions { MaxLinesWithoutPunctuationFraction = 0.88 });
        Assert.Equal(QualityRejection.TooManyLinesWithoutPunctuation, strict.Check(list));
        Assert.Null(strict.Check(Prose));
    }
}
