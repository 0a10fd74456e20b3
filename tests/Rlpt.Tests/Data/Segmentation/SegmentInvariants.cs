using Rlpt.Data.Segmentation;

namespace Rlpt.Tests.Data.Segmentation;

internal static class SegmentInvariants
{
    /// <summary>Segments are trimmed, non-empty, ascending and disjoint, and only whitespace lies outside them.</summary>
    public static void AssertHold(string text, IReadOnlyList<Segment> segments)
    {
        var position = 0;
        var rebuilt = new System.Text.StringBuilder();
        foreach (var segment in segments)
        {
            Assert.True(segment.Start >= position && segment.End > segment.Start, $"bad range {segment} after {position}");
            Assert.False(char.IsWhiteSpace(text[segment.Start]) || char.IsWhiteSpace(text[segment.End - 1]), $"untrimmed {segment}");
            var gap = text[position..segment.Start];
            Assert.True(string.IsNullOrWhiteSpace(gap), $"text lost before {segment}: '{gap}'");
            rebuilt.Append(gap).Append(segment.TextOf(text));
            position = segment.End;
        }
        Assert.True(string.IsNullOrWhiteSpace(text[position..]), "text lost at the end");
        rebuilt.Append(text[position..]);
        Assert.Equal(text, rebuilt.ToString());
    }
}
