namespace Rlpt.Generation;

/// <summary>How one request is decoded. Defaults follow common practice (OpenAI's API, TRL's GRPOConfig).</summary>
public sealed record SamplingOptions
{
    /// <summary>Upper bound on generated tokens.</summary>
    public int MaxNewTokens { get; init; } = 128;
    /// <summary>Softmax temperature; 0 means greedy decoding.</summary>
    public double Temperature { get; init; } = 1.0;
    /// <summary>Keep only the k most likely tokens; 0 disables.</summary>
    public int TopK { get; init; }
    /// <summary>Nucleus sampling: keep the smallest set of tokens whose probability reaches p; 1 disables.</summary>
    public double TopP { get; init; } = 1.0;
    /// <summary>Generation stops once the text contains one of these; the text returned excludes it.</summary>
    public IReadOnlyList<string> StopStrings { get; init; } = [];
    /// <summary>Stop at the tokenizer's end-of-text token (and the model's other end-of-sequence ids).</summary>
    public bool StopAtEndOfText { get; init; } = true;
    /// <summary>Per-request seed, so a request samples the same tokens whatever batch it shares; null draws one.</summary>
    public int? Seed { get; init; }
    /// <summary>Also return this many most likely tokens, with log-probabilities, at each generated position (OpenAI's top_logprobs); 0 disables.</summary>
    public int TopLogProbs { get; init; }
    /// <summary>
    /// Also return the log-probability and rank of every prompt token after the first, with this many most likely
    /// alternatives (vLLM's prompt_logprobs); null disables. Costs the prompt's full logits at prefill.
    /// </summary>
    public int? PromptLogProbs { get; init; }

    /// <summary>The most alternatives per position a request may ask for (vLLM's default max_logprobs).</summary>
    public const int MaxLogProbs = 20;

    public void Validate()
    {
        if (MaxNewTokens < 1) throw new ArgumentException($"max_new_tokens must be at least 1 (got {MaxNewTokens}).");
        if (Temperature < 0 || double.IsNaN(Temperature)) throw new ArgumentException($"temperature must be >= 0 (got {Temperature}).");
        if (TopK < 0) throw new ArgumentException($"top_k must be >= 0 (got {TopK}).");
        if (!(TopP > 0 && TopP <= 1)) throw new ArgumentException($"top_p must be in (0, 1] (got {TopP}).");
        if (StopStrings.Any(string.IsNullOrEmpty)) throw new ArgumentException("stop strings must not be empty.");
        if (TopLogProbs is < 0 or > MaxLogProbs) throw new ArgumentException($"top_logprobs must be in 0..{MaxLogProbs} (got {TopLogProbs}).");
        if (PromptLogProbs is < 0 or > MaxLogProbs) throw new ArgumentException($"prompt_logprobs must be in 0..{MaxLogProbs} (got {PromptLogProbs}).");
    }
}
