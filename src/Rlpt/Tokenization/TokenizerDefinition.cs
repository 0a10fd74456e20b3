namespace Rlpt.Tokenization;

/// <summary>A token matched literally in text before BPE (Hugging Face "added_tokens").</summary>
internal sealed record AddedToken(int Id, string Content, bool Special);

/// <summary>Everything a <see cref="Tokenizer"/> is built from; what tokenizer.json holds.</summary>
internal sealed record TokenizerDefinition(
    IReadOnlyDictionary<string, int> Vocabulary,
    IReadOnlyList<(string Left, string Right)> Merges,
    IReadOnlyList<AddedToken> AddedTokens,
    string PreTokenizerPattern,
    bool IgnoreMerges,
    bool NfcNormalize);
