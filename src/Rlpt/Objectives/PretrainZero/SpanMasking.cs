using System.Text.RegularExpressions;
using Rlpt.Objectives.Rlpt;
using Rlpt.Tokenization;

namespace Rlpt.Objectives.PretrainZero;

/// <summary>A passage with a span masked: <see cref="Masked"/> shows <see cref="SpanMasking.Mask"/> at each of its occurrences.</summary>
public sealed record MaskedPassage(string Passage, string Span, string Masked, int Occurrences);

/// <summary>Why a proposed span is not a mask; <see cref="Valid"/> when it is.</summary>
public enum SpanVerdict { Valid, Missing, Empty, NotInPassage, TooFrequent, TooLong, WholePassage }

/// <summary>
/// The mask rules. A span is valid when it occurs verbatim (ordinal, after trimming white space at its ends) in the
/// passage, fewer than pz_max_occurrences times (the paper rejects spans occurring 8 or more times), covers at most
/// pz_max_span_tokens tokens and is not the whole passage. Every occurrence is masked, not only the first: a copy left
/// in view would make the answer a lookup. Random masks (the baseline and the cold start) are runs of whole words
/// that pass the same rules.
/// </summary>
public static partial class SpanMasking
{
    public const string Mask = RlptPromptTemplates.Mask;

    /// <summary>Random spans tried per passage before the passage is given up.</summary>
    private const int Attempts = 16;

    public static (MaskedPassage? Mask, SpanVerdict Verdict) Check(string passage, string? span, Tokenizer tokenizer, PretrainZeroOptions options)
    {
        if (span is null) return (null, SpanVerdict.Missing);
        span = span.Trim();
        if (span.Length == 0) return (null, SpanVerdict.Empty);
        int occurrences = Occurrences(passage, span);
        if (occurrences == 0) return (null, SpanVerdict.NotInPassage);
        if (occurrences >= options.MaxOccurrences) return (null, SpanVerdict.TooFrequent);
        if (span == passage.Trim()) return (null, SpanVerdict.WholePassage);
        if (tokenizer.Encode(span).Count > options.MaxSpanTokens) return (null, SpanVerdict.TooLong);
        return (new MaskedPassage(passage, span, passage.Replace(span, Mask, StringComparison.Ordinal), occurrences), SpanVerdict.Valid);
    }

    /// <summary>Occurrences of <paramref name="span"/> in <paramref name="passage"/>, overlapping ones included.</summary>
    public static int Occurrences(string passage, string span)
    {
        int count = 0;
        for (int at = passage.IndexOf(span, StringComparison.Ordinal); at >= 0; at = passage.IndexOf(span, at + 1, StringComparison.Ordinal)) count++;
        return count;
    }

    /// <summary>A random valid run of 1..pz_max_span_words whole words, or null when none of the tries is valid.</summary>
    internal static MaskedPassage? RandomSpan(string passage, ref CounterRandom random, Tokenizer tokenizer, PretrainZeroOptions options)
    {
        var words = Word().Matches(passage);
        if (words.Count < 2) return null;
        for (int attempt = 0; attempt < Attempts; attempt++)
        {
            int length = 1 + (int)random.Next(Math.Min(options.MaxSpanWords, words.Count - 1));
            int start = (int)random.Next(words.Count - length + 1);
            var first = words[start];
            var last = words[start + length - 1];
            var (mask, _) = Check(passage, passage[first.Index..(last.Index + last.Length)], tokenizer, options);
            if (mask is not null) return mask;
        }
        return null;
    }

    /// <summary>
    /// The passage cut before a random word (never the first), which is the answer: the random-position next-token
    /// baseline, in words. The mask ends the text, so nothing after it is shown.
    /// </summary>
    internal static MaskedPassage? NextWord(string passage, ref CounterRandom random)
    {
        var words = Word().Matches(passage);
        if (words.Count < 2) return null;
        var word = words[1 + (int)random.Next(words.Count - 1)];
        return new MaskedPassage(passage, word.Value, passage[..word.Index] + Mask, 1);
    }

    [GeneratedRegex(@"\S+")]
    private static partial Regex Word();
}
