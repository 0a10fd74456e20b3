using Rlpt.Data.Cleaning;

namespace Rlpt.Tests.Data.Cleaning;

public class TextNormalizerTests
{
    [Theory]
    [InlineData("Cafe\u0301 cre\u0300me", "Caf\u00E9 cr\u00E8me")] // NFD → NFC
    [InlineData("one\r\ntwo\rthree\u2028four", "one\ntwo\nthree\nfour")]
    [InlineData("a\u00A0b\u3000c\u2009d", "a b c d")] // NBSP, ideographic and thin space
    [InlineData("be\u0007ll\u0000 null\u001B[0m", "bell null[0m")] // controls removed, not spaced
    [InlineData("a  \t b\t\tc", "a b\tc")] // a run becomes its first character
    [InlineData("trailing   \nspaces\t\n", "trailing\nspaces")]
    [InlineData("p1\n\n\n\n\np2\n \n\t\np3\n\np4", "p1\n\np2\n\np3\n\np4")]
    [InlineData("  \n\n  indented start\n\n\n", "indented start")]
    [InlineData("\tkept tab indent\n\tsecond", "kept tab indent\n\tsecond")]
    public void Normalizes(string input, string expected) => Assert.Equal(expected, TextNormalizer.Normalize(input));

    [Fact]
    public void CleanTextIsReturnedAsIs()
    {
        var text = "Already clean.\n\nTwo paragraphs.";
        Assert.Same(text, TextNormalizer.Normalize(text));
    }
}
