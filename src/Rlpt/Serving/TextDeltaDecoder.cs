using System.Text;
using Rlpt.Generation;
using Rlpt.Tokenization;

namespace Rlpt.Serving;

/// <summary>
/// Turns one row's tokens into text deltas as they arrive. Bytes go through a stateful UTF-8 decoder, so a
/// character split across tokens is emitted whole once its last byte arrives (never as U+FFFD), and a tail that
/// may be the start of a stop string is held back until it resolves, so a client never sees part of a stop string.
/// The deltas concatenated equal the batch's final <see cref="GenerationResult.Text"/>.
/// </summary>
internal sealed class TextDeltaDecoder(Tokenizer tokenizer, SamplingOptions options, IReadOnlySet<int> endOfSequenceIds)
{
    private readonly StopCriteria stops = new(options.StopStrings);
    private readonly Decoder utf8 = Encoding.UTF8.GetDecoder();
    private int bytesDecoded;
    private int charsEmitted;

    public string Push(int token)
    {
        // The generator leaves the end-of-sequence token out of the text.
        if (options.StopAtEndOfText && endOfSequenceIds.Contains(token)) return "";
        stops.Append(tokenizer.DecodeBytes([token]));
        int safe = stops.SafeLength;
        if (safe <= bytesDecoded) return "";
        var bytes = new byte[safe - bytesDecoded];
        for (int i = 0; i < bytes.Length; i++) bytes[i] = stops.Bytes[bytesDecoded + i];
        var chars = new char[utf8.GetCharCount(bytes, 0, bytes.Length, flush: false)];
        utf8.GetChars(bytes, 0, bytes.Length, chars, 0, flush: false);
        bytesDecoded = safe;
        charsEmitted += chars.Length;
        return new string(chars);
    }

    /// <summary>What the final text holds beyond the deltas already emitted (a held-back tail that was no stop string).</summary>
    public string Finish(string finalText) => finalText.Length > charsEmitted ? finalText[charsEmitted..] : "";
}
