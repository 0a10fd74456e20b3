namespace Rlpt.Interop;

/// <summary>What a model's <c>generation_config.json</c> says about decoding; null where it says nothing.</summary>
public sealed record GenerationDefaults
{
    /// <summary>Tokens that end generation: Hugging Face allows one id or a list.</summary>
    public IReadOnlyList<int> EosTokenIds { get; init; } = [];
    public int? BosTokenId { get; init; }
    public int? PadTokenId { get; init; }
    public bool? DoSample { get; init; }
    public double? Temperature { get; init; }
    public double? TopP { get; init; }
    public int? TopK { get; init; }
    public int? MaxNewTokens { get; init; }
}
