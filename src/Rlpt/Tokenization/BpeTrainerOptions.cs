namespace Rlpt.Tokenization;

/// <summary>Settings for <see cref="BpeTrainer"/>.</summary>
public sealed record BpeTrainerOptions
{
    /// <summary>Final vocabulary size, special tokens and the 256 byte symbols included. Default 4096.</summary>
    public int VocabSize { get; init; } = 4096;

    /// <summary>A pair is merged only if it occurs at least this often. Default 2.</summary>
    public int MinFrequency { get; init; } = 2;

    /// <summary>
    /// Default 0. Ties between equally frequent pairs are broken by the pair's bytes, so the current trainer is
    /// deterministic and does not draw random numbers; the seed is part of the options so runs record it.
    /// </summary>
    public int Seed { get; init; }

    /// <summary>Pre-tokenizer regex. Default <see cref="PreTokenizerPatterns.Llama3"/> (GPT-2/Llama-3 style).</summary>
    public string PreTokenizerPattern { get; init; } = PreTokenizerPatterns.Llama3;

    /// <summary>Special tokens, given ids 0.. in this order. Default <see cref="SpecialTokens.All"/>.</summary>
    public IReadOnlyList<string> SpecialTokens { get; init; } = Tokenization.SpecialTokens.All;
}
