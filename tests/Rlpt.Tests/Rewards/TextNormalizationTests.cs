using Rlpt.Rewards;

namespace Rlpt.Tests.Rewards;

public class TextNormalizationTests
{
    [Theory]
    [InlineData("  The  Cat,\n sat — on \"the\" mat. ", "the cat sat on the mat")]
    [InlineData("Don’t stop at 3.5 e-mails!", "don't stop at 3.5 e-mails")]
    [InlineData("ＦＵＬＬ width ﬁne", "full width fine")]
    [InlineData("...", "")]
    public void Normalizes_case_unicode_whitespace_and_edge_punctuation(string text, string expected) =>
        Assert.Equal(expected, TextNormalization.Normalize(text));
}
