using Rlpt.Data.Segmentation;

namespace Rlpt.Tests.Data.Segmentation;

public sealed class SegmenterTests
{
    private static string[] Split(string text, SegmentationOptions options)
    {
        var segments = Segmenter.Split(text, options);
        SegmentInvariants.AssertHold(text, segments);
        return [.. segments.Select(s => s.TextOf(text))];
    }

    [Fact]
    public void DefaultsAreDocumented()
    {
        var options = new SegmentationOptions();
        Assert.Equal((SegmentUnit.Sentence, 16, 600, true), (options.Unit, options.MinChars, options.MaxChars, options.KeepHeadings));
    }

    [Fact]
    public void RejectsInvalidOptions()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SegmentationOptions { MinChars = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new SegmentationOptions { MaxChars = 0 });
        Assert.Throws<ArgumentNullException>(() => Segmenter.Split(null!));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" \n\n\t ")]
    public void BlankTextHasNoSegments(string text) => Assert.Empty(Segmenter.Split(text));

    [Fact]
    public void ShortSentenceMergesWithTheFollowingOne() => Assert.Equal(
        ["Yes. It was a long and rainy day.", "Everyone stayed at home."],
        Split("Yes. It was a long and rainy day. Everyone stayed at home.", new()));

    [Fact]
    public void ShortSentenceAtParagraphEndMergesWithThePreviousOne() => Assert.Equal(
        ["It was a long and rainy day. Yes.", "A new paragraph starts here."],
        Split("It was a long and rainy day. Yes.\n\nA new paragraph starts here.", new()));

    [Fact]
    public void RunOfShortSentencesMergesUntilLongEnough() => Assert.Equal(
        ["Oh. Ah. Hm. Yes.", "Ok. That is the whole story."],
        Split("Oh. Ah. Hm. Yes. Ok. That is the whole story.", new()));

    [Fact]
    public void WholeShortParagraphMergesAcrossTheBreak() => Assert.Equal(
        ["Chapter 1\n\nIt was a dark and stormy night.", "The end came soon."],
        Split("Chapter 1\n\nIt was a dark and stormy night. The end came soon.", new()));

    [Fact]
    public void WholeShortParagraphAtTheEndMergesBackward() => Assert.Equal(
        ["It was a dark and stormy night.\n\nThe end."],
        Split("It was a dark and stormy night.\n\nThe end.", new()));

    [Fact]
    public void HeadingsAndListItemsStayAloneEvenWhenShort() => Assert.Equal(
        ["# Intro", "Ok.", "- eggs", "- milk", "The recipe follows below."],
        Split("# Intro\n\nOk.\n\n- eggs\n- milk\n\nThe recipe follows below.", new()));

    [Fact]
    public void WithoutKeepHeadingsMarkersAreText() => Assert.Equal(
        ["# Intro\nSome text.", "- eggs - milk"],
        Split("# Intro\nSome text.\n\n- eggs - milk", new() { MinChars = 0, KeepHeadings = false }));

    [Fact]
    public void MergeNeverExceedsMaxChars() => Assert.Equal(
        ["Hi.", "Twenty chars long ok."],
        Split("Hi. Twenty chars long ok.", new() { MaxChars = 21 }));

    [Fact]
    public void LongPieceSplitsAtSemicolonBeforeComma() => Assert.Equal(
        ["one two three four;", "five, six seven eight"],
        Split("one two three four; five, six seven eight", new() { MinChars = 0, MaxChars = 30 }));

    [Fact]
    public void LongPieceSplitsAtCommaInTheSecondHalf() => Assert.Equal(
        ["one, two three four five,", "six seven eight nine ten eleven"],
        Split("one, two three four five, six seven eight nine ten eleven", new() { MinChars = 0, MaxChars = 32 }));

    [Fact]
    public void LongPieceSplitsAtTheLastSpaceWithoutPunctuation() => Assert.Equal(
        ["aaaa bbbb cccc", "dddd eeee ffff", "gggg"],
        Split("aaaa bbbb cccc dddd eeee ffff gggg", new() { MinChars = 0, MaxChars = 15 }));

    [Fact]
    public void LongPieceWithoutSpacesIsCutHard() => Assert.Equal(
        ["abcd", "efgh", "ij"],
        Split("abcdefghij", new() { MinChars = 0, MaxChars = 4 }));

    [Fact]
    public void CjkClauseMarksAreCutPoints() => Assert.Equal(
        ["一二三四五，", "六七八九十"],
        Split("一二三四五，六七八九十", new() { MinChars = 0, MaxChars = 8 }));

    [Fact]
    public void ParagraphUnitSplitsOnBlankLines() => Assert.Equal(
        ["First para. Two sentences\nwrapped.", "Second para.", "# Heading"],
        Split("First para. Two sentences\nwrapped.\n\n\n  Second para.  \n\n# Heading", new() { Unit = SegmentUnit.Paragraph, MinChars = 0 }));

    [Fact]
    public void LineUnitSplitsOnNewlinesAndSkipsEmptyLines() => Assert.Equal(
        ["one. two.", "three", "four"],
        Split("one. two.\r\nthree\n\n\n   \nfour\n", new() { Unit = SegmentUnit.Line, MinChars = 0 }));

    [Fact]
    public void LineUnitMergesShortLinesWithinTheParagraph() => Assert.Equal(
        ["a\nb\nc\nd\ne\nf\ng\nh\ni", "A longer line of text here"],
        Split("a\nb\nc\nd\ne\nf\ng\nh\ni\nA longer line of text here", new() { Unit = SegmentUnit.Line }));

    [Fact]
    public void RandomTextLosesNothingAndRespectsMaxChars()
    {
        string[] pieces =
        [
            "word", "Mr.", "etc.", "U.S.", "J.", "3.14", "e.g.", "example.com", "...", "\u2026", "?", "!", ".", "\"",
            "(", ")", "\u201D", "\n", "\n\n", "\r\n", "# ", "- ", "1. ", "。", "日本", ";", ",", "\t", " ", " ", " ",
            "The", "he", "\u2028", "\U0001F600", "a;", "x:",
        ];
        var random = new Random(1234);
        for (var round = 0; round < 300; round++)
        {
            var builder = new System.Text.StringBuilder();
            var count = random.Next(0, 120);
            for (var i = 0; i < count; i++) builder.Append(pieces[random.Next(pieces.Length)]);
            var text = builder.ToString();
            var options = new SegmentationOptions
            {
                Unit = (SegmentUnit)random.Next(3),
                MinChars = random.Next(0, 30),
                MaxChars = random.Next(1, 80),
                KeepHeadings = random.Next(2) == 0,
            };
            var segments = Segmenter.Split(text, options);
            SegmentInvariants.AssertHold(text, segments);
            Assert.All(segments, s => Assert.True(s.Length <= options.MaxChars, $"{s} longer than {options.MaxChars}"));
        }
    }
}
