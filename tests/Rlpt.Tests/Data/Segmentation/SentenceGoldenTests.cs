using Rlpt.Data.Segmentation;

namespace Rlpt.Tests.Data.Segmentation;

/// <summary>
/// Hand-written tricky cases with the exact sentences expected. Size rules are off (MinChars 0) so only the
/// sentence and block rules are under test.
/// </summary>
public sealed class SentenceGoldenTests
{
    private static readonly SegmentationOptions Options = new() { MinChars = 0 };

    public static TheoryData<string, string[]> Cases => new()
    {
        // Plain sentences and terminal marks.
        { "The cat sat. The dog ran.", ["The cat sat.", "The dog ran."] },
        { "Is it done? Yes! Good.", ["Is it done?", "Yes!", "Good."] },
        { "Really?! No way!!! Fine?!?", ["Really?!", "No way!!!", "Fine?!?"] },
        { "  Leading and trailing space.   ", ["Leading and trailing space."] },
        { "No terminal mark at all", ["No terminal mark at all"] },
        { "He went home. then he slept.", ["He went home.", "then he slept."] },
        { "He went home.\nthen he slept.", ["He went home.", "then he slept."] },
        { "He asked, \"Is it 5 p.m.?\" Then he left.", ["He asked, \"Is it 5 p.m.?\"", "Then he left."] },

        // Titles and Latin connectives never end a sentence.
        { "Mr. Smith met Mrs. Jones and Dr. Watson.", ["Mr. Smith met Mrs. Jones and Dr. Watson."] },
        { "Prof. Lee lives on St. James Street. She teaches.", ["Prof. Lee lives on St. James Street.", "She teaches."] },
        { "Use a tool, e.g. a hammer. It works.", ["Use a tool, e.g. a hammer.", "It works."] },
        { "Fruit, i.e., apples, is sweet. Eat it.", ["Fruit, i.e., apples, is sweet.", "Eat it."] },
        { "It was Kramer vs. Kramer. A classic.", ["It was Kramer vs. Kramer.", "A classic."] },
        { "See the appendix (cf. Table 3). It helps.", ["See the appendix (cf. Table 3).", "It helps."] },

        // Abbreviations that often end a sentence: an end before a capital only.
        { "We sell apples, pears, etc. Prices vary.", ["We sell apples, pears, etc.", "Prices vary."] },
        { "We sell apples, pears, etc. and more.", ["We sell apples, pears, etc. and more."] },
        { "He works at Acme Inc. The firm is big.", ["He works at Acme Inc.", "The firm is big."] },
        { "Acme Inc. and Foo Ltd. merged. Shares rose.", ["Acme Inc. and Foo Ltd. merged.", "Shares rose."] },
        { "She joined Widgets Co. Last year it grew.", ["She joined Widgets Co.", "Last year it grew."] },
        { "It was built by Big Corp. in 1990.", ["It was built by Big Corp. in 1990."] },
        { "The speaker was Martin Luther King Jr. He spoke well.", ["The speaker was Martin Luther King Jr.", "He spoke well."] },
        { "Sammy Davis Jr. and Sr. sang.", ["Sammy Davis Jr. and Sr. sang."] },
        { "As shown by Smith et al. (2020), it holds. Next.", ["As shown by Smith et al. (2020), it holds.", "Next."] },
        { "We met at 9 a.m. and left at 5 p.m. Then we ate.", ["We met at 9 a.m. and left at 5 p.m.", "Then we ate."] },

        // Initials, dotted acronyms, reference words and months continue unless a sentence opener follows.
        { "J. R. R. Tolkien wrote it. John F. Kennedy read it.", ["J. R. R. Tolkien wrote it.", "John F. Kennedy read it."] },
        { "The author is J. A. Smith. He is tall.", ["The author is J. A. Smith.", "He is tall."] },
        { "She got an A. I got a B. We laughed.", ["She got an A.", "I got a B.", "We laughed."] },
        { "The U.S. Army moved. The U.K. Parliament voted.", ["The U.S. Army moved.", "The U.K. Parliament voted."] },
        { "He moved to the U.S. The weather was better.", ["He moved to the U.S.", "The weather was better."] },
        // Known limit: a capitalised word that is not a common opener reads as a continuation.
        { "I live in the U.S. Prices are high.", ["I live in the U.S. Prices are high."] },
        { "The U.S.A. is big.", ["The U.S.A. is big."] },
        { "She has a Ph.D. in physics. Her thesis won.", ["She has a Ph.D. in physics.", "Her thesis won."] },
        { "See Fig. 2 and Eq. 3 in Vol. 4. Done.", ["See Fig. 2 and Eq. 3 in Vol. 4.", "Done."] },
        { "He lived at No. 10 for years.", ["He lived at No. 10 for years."] },
        { "It opened on Jan. 5 and closed Dec. 31. It was short.", ["It opened on Jan. 5 and closed Dec. 31.", "It was short."] },
        { "The case Roe v. Wade changed law.", ["The case Roe v. Wade changed law."] },

        // Numbers, decimals, versions, percentages.
        { "Pi is 3.14 roughly. E is 2.72.", ["Pi is 3.14 roughly.", "E is 2.72."] },
        { "It cost $1,000.50 in total. Cheap.", ["It cost $1,000.50 in total.", "Cheap."] },
        { "Upgrade to v2.0 now. Rates rose 10.5% today.", ["Upgrade to v2.0 now.", "Rates rose 10.5% today."] },
        { "He was born in 1984. It rained.", ["He was born in 1984.", "It rained."] },
        { "See section 3.2. Then read 4.1.", ["See section 3.2.", "Then read 4.1."] },

        // Ellipses.
        { "Wait... what? I see.", ["Wait... what?", "I see."] },
        { "I thought... Then it hit me.", ["I thought...", "Then it hit me."] },
        { "Wait... What?", ["Wait...", "What?"] },
        { "Well\u2026 maybe. Or not\u2026 Fine.", ["Well\u2026 maybe.", "Or not\u2026", "Fine."] },
        { "So . . . what now? Nothing . . . Right.", ["So . . . what now?", "Nothing . . .", "Right."] },

        // Quotes and brackets after the terminal mark stay with the sentence.
        { "He said \"Stop.\" Then he left.", ["He said \"Stop.\"", "Then he left."] },
        { "(See Fig. 2.) Next we test.", ["(See Fig. 2.)", "Next we test."] },
        { "\u201CIs it?\u201D she asked. \u201CYes.\u201D", ["\u201CIs it?\u201D she asked.", "\u201CYes.\u201D"] },
        { "\"Stop!\" he cried. \"Now!\" She ran.", ["\"Stop!\" he cried.", "\"Now!\"", "She ran."] },
        { "He said 'go.' She went.", ["He said 'go.'", "She went."] },
        { "It ended [see notes.] Later it began.", ["It ended [see notes.]", "Later it began."] },
        { "He wrote \"Hello\". Then he slept.", ["He wrote \"Hello\".", "Then he slept."] },

        // URLs and e-mail addresses.
        { "Visit example.com for more. It is free.", ["Visit example.com for more.", "It is free."] },
        { "Go to https://www.example.org/a.b?x=1. Then log in.", ["Go to https://www.example.org/a.b?x=1.", "Then log in."] },
        { "Mail john.doe@example.co.uk today. Thanks.", ["Mail john.doe@example.co.uk today.", "Thanks."] },
        { "I use Node.js daily. It is fast.", ["I use Node.js daily.", "It is fast."] },

        // Blocks: list items, bullets, headings, paragraph breaks, hard wrapping.
        { "1. First item\n2. Second item", ["1. First item", "2. Second item"] },
        { "Steps:\n1) Mix it. Stir well.\n2) Bake.", ["Steps:", "1) Mix it.", "Stir well.", "2) Bake."] },
        { "- apples\n- pears\n* plums\n+ figs", ["- apples", "- pears", "* plums", "+ figs"] },
        { "- a long item that\n  wraps onto two lines\nText after.", ["- a long item that\n  wraps onto two lines", "Text after."] },
        { "(a) one\n(12) two", ["(a) one", "(12) two"] },
        { "# Title\nSome text here. More text.", ["# Title", "Some text here.", "More text."] },
        { "## Section 1. Intro\n\nBody.", ["## Section 1. Intro", "Body."] },
        { "#hashtag is not a heading. Ok.", ["#hashtag is not a heading.", "Ok."] },
        { "First paragraph without end\n\nSecond one", ["First paragraph without end", "Second one"] },
        { "A line that wraps\nin the middle. Next sentence\nwraps too.", ["A line that wraps\nin the middle.", "Next sentence\nwraps too."] },
        { "It ended with etc.\nand went on.", ["It ended with etc.\nand went on."] },
        { "Windows line ends.\r\nStill one paragraph.\r\n\r\nNew one.", ["Windows line ends.", "Still one paragraph.", "New one."] },
        { "In the year\n1984. It rained.", ["In the year\n1984.", "It rained."] },

        // CJK and other scripts.
        { "今日は晴れです。明日は雨です！本当？", ["今日は晴れです。", "明日は雨です！", "本当？"] },
        { "他说：「走吧。」我们走了。", ["他说：「走吧。」", "我们走了。"] },
        { "Привет. Как дела? Хорошо.", ["Привет.", "Как дела?", "Хорошо."] },
        { "هل أنت بخير؟ نعم.", ["هل أنت بخير؟", "نعم."] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void SplitsExactly(string input, string[] expected)
    {
        Assert.Equal(expected, Segmenter.SplitToStrings(input, Options));
        SegmentInvariants.AssertHold(input, Segmenter.Split(input, Options));
    }

    [Fact]
    public void HasAtLeastFiftyCases() => Assert.True(Cases.Count >= 50);
}
