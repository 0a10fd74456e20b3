namespace Rlpt.Tokenization;

/// <summary>Regexes that split text into words before BPE; the text between matches is kept as words too.</summary>
public static class PreTokenizerPatterns
{
    /// <summary>GPT-2's pattern, used when a tokenizer.json has a ByteLevel pre-tokenizer with use_regex true.</summary>
    public const string Gpt2 = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    /// <summary>Llama 3's pattern: case-insensitive contractions, numbers in groups of up to three digits.</summary>
    public const string Llama3 =
        @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>Qwen2's pattern (its tokenizer.json): Llama 3's with every digit a word of its own.</summary>
    public const string Qwen2 =
        @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";
}
