using System.Text.RegularExpressions;
using Rlpt.Tokenization;

namespace Rlpt.Tests.Tokenization;

public sealed class CodePointPatternTests
{
    private static string[] Matches(string pattern, string text) =>
        new Regex(CodePointPattern.Rewrite(pattern)).Matches(text).Select(m => m.Value).ToArray();

    [Fact]
    public void AstralLettersDigitsAndSymbolsMatchTheirClassesAsWholeCodePoints()
    {
        Assert.Equal(["𝐀𝐁c"], Matches(@"\p{L}+", "𝐀𝐁c")); // U+1D400.. are letters (Lu), not two surrogates
        Assert.Equal(["😀!", "?"], Matches(@"[^\s\p{L}\p{N}]+", "😀! 𝐀?")); // emoji are So: not letters, matched whole
        Assert.Equal(["𝟏𝟐𝟑", "𝟒"], Matches(@"\p{N}{1,3}", "𝟏𝟐𝟑𝟒")); // counts code points, not UTF-16 units
        Assert.Equal(["𠀀"], Matches(@"\w", "𠀀")); // CJK extension B (Lo)
        Assert.Equal(["a", "😀", "b"], Matches(@".", "a😀b"));
        Assert.Equal(["x😀"], Matches(@"x\S", "x😀"));
        Assert.Empty(Matches(@"\P{L}", "𝐀"));
        Assert.Equal(["😀"], Matches(@"\P{L}", "😀"));
        // A lone surrogate becomes U+FFFD (a symbol) in UTF-8: a class holding symbols takes it, a letter class does not.
        Assert.Equal(["\uD835"], Matches(@"[^\s\p{L}\p{N}]", "\uD835"));
        Assert.Empty(Matches(@"\p{L}", "\uD835"));
    }

    [Fact]
    public void OnBmpTextTheRewrittenPatternsMatchExactlyAsTheOriginalsDo()
    {
        var random = new Random(3);
        string alphabet = "aZé ж中\r\n\t 7٣'sT!?.-_$\u00a0ʼ\u0301";
        foreach (var pattern in new[] { PreTokenizerPatterns.Gpt2, PreTokenizerPatterns.Llama3, PreTokenizerPatterns.Qwen2 })
        {
            var original = new Regex(pattern);
            var rewritten = new Regex(CodePointPattern.Rewrite(pattern));
            Assert.NotEqual(pattern, CodePointPattern.Rewrite(pattern));
            for (int i = 0; i < 300; i++)
            {
                string text = new(Enumerable.Range(0, random.Next(1, 30)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
                Assert.Equal(original.Matches(text).Select(m => (m.Index, m.Length)), rewritten.Matches(text).Select(m => (m.Index, m.Length)));
            }
        }
    }

    [Theory]
    [InlineData(@"[a-z-[aeiou]]+")] // class subtraction
    [InlineData(@"\p{IsGreek}+")] // a block name
    [InlineData("\uD835\uDC00+")] // a surrogate written in the pattern
    public void PatternsWithConstructsItDoesNotModelAreLeftAsTheyAre(string pattern) => Assert.Equal(pattern, CodePointPattern.Rewrite(pattern));
}
