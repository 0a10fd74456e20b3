using System.Text;
using Rlpt.Generation;

namespace Rlpt.Tests.Generation;

public sealed class StopCriteriaTests
{
    [Fact]
    public void FindsAStopStringSplitAcrossTokens()
    {
        var stops = new StopCriteria(["</end>"]);
        Assert.False(stops.Append("hello </"u8));
        Assert.False(stops.Append("en"u8));
        Assert.True(stops.Append("d> more"u8));
        Assert.Equal(Encoding.UTF8.GetByteCount("hello "), stops.StopAt);
    }

    [Fact]
    public void TheEarliestOfSeveralStopStringsWins()
    {
        var stops = new StopCriteria(["xyz", "b"]);
        Assert.True(stops.Append("a b xyz"u8));
        Assert.Equal(2, stops.StopAt);
    }

    [Fact]
    public void MultiByteStopStringsMatchOnBytes()
    {
        var stops = new StopCriteria(["é!"]);
        var bytes = Encoding.UTF8.GetBytes("café!");
        Assert.False(stops.Append(bytes.AsSpan(0, 4))); // "caf" + first byte of é
        Assert.True(stops.Append(bytes.AsSpan(4)));
        Assert.Equal(3, stops.StopAt);
    }

    [Fact]
    public void NoStopStringsNeverStop()
    {
        var stops = new StopCriteria([]);
        Assert.False(stops.Append("anything at all"u8));
        Assert.Null(stops.StopAt);
    }
}
