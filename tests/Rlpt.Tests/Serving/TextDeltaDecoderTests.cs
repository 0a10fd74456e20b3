using System.Text;
using Rlpt.Generation;
using Rlpt.Serving;

namespace Rlpt.Tests.Serving;

public sealed class TextDeltaDecoderTests(ServingFixture fixture) : IClassFixture<ServingFixture>
{
    private Rlpt.Tokenization.Tokenizer Tokenizer => fixture.Generation.Tokenizer;

    /// <summary>Byte-level tokens of the text, one token per byte, so multi-byte characters are split across tokens.</summary>
    private int[] ByteTokens(string text) =>
        Encoding.UTF8.GetBytes(text).Select(b => Enumerable.Range(0, Tokenizer.VocabSize).First(id => Tokenizer.DecodeBytes([id]) is [var only] && only == b)).ToArray();

    [Fact]
    public void CharactersSplitAcrossTokensAreEmittedWholeNeverAsReplacementCharacters()
    {
        var decoder = new TextDeltaDecoder(Tokenizer, new SamplingOptions(), new HashSet<int>());
        var deltas = ByteTokens("é€😀!").Select(decoder.Push).ToArray();
        Assert.DoesNotContain(deltas, d => d.Contains('\uFFFD'));
        Assert.Equal(["", "é", "", "", "€", "", "", "", "😀", "!"], deltas);
    }

    [Fact]
    public void TextThatMayStartAStopStringIsHeldBackAndTheStopStringNeverStreams()
    {
        var options = new SamplingOptions { StopStrings = ["END"] };
        var decoder = new TextDeltaDecoder(Tokenizer, options, new HashSet<int>());
        var deltas = ByteTokens("aENbEND").Select(decoder.Push).ToArray();
        Assert.Equal(["a", "", "", "ENb", "", "", ""], deltas);
        Assert.Equal("", decoder.Finish("aENb"));
    }

    [Fact]
    public void AHeldBackTailThatNeverBecameAStopStringArrivesWithTheFinish()
    {
        var decoder = new TextDeltaDecoder(Tokenizer, new SamplingOptions { StopStrings = ["END"] }, new HashSet<int>());
        Assert.Equal(["x", ""], ByteTokens("xE").Select(decoder.Push).ToArray());
        Assert.Equal("E", decoder.Finish("xE"));
    }

    [Fact]
    public void TheEndOfTextTokenIsNotText()
    {
        var endOfText = Tokenizer.EndOfTextId;
        var decoder = new TextDeltaDecoder(Tokenizer, new SamplingOptions(), new HashSet<int> { endOfText });
        Assert.Equal("", decoder.Push(endOfText));
        var keeping = new TextDeltaDecoder(Tokenizer, new SamplingOptions { StopAtEndOfText = false }, new HashSet<int> { endOfText });
        Assert.Equal("<|endoftext|>", keeping.Push(endOfText));
    }
}
