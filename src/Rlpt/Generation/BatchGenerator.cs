using Rlpt.Modeling;
using Rlpt.Tokenization;

namespace Rlpt.Generation;

/// <summary>
/// Batched autoregressive generation with a KV cache (static batching: every request is admitted at once and the batch
/// runs to its end; see <see cref="DecodingBatch"/>). Finished rows are dropped from the batch (and the cache) once
/// enough of them accumulate. A row whose <see cref="GenerationRequest.Cancellation"/> fires finishes at the next step
/// like any other, so one caller giving up does not stop the batch. Requests with the same prompt (GRPO's G samples of
/// a prompt) share one prefill: each distinct prompt is forwarded once and its KV cache row copied to its requests.
/// </summary>
public sealed class BatchGenerator(CausalLM model, Tokenizer tokenizer)
{
    /// <summary>Prefill each distinct prompt once (default); false prefills every request's prompt, for comparison.</summary>
    public bool SharePrefixes { get; init; } = true;

    /// <summary>Called after each decoding step with (request index, token id) for every row that produced a token.</summary>
    public Action<int, int>? OnToken { get; init; }

    /// <summary>Tokens that end a sequence when <see cref="SamplingOptions.StopAtEndOfText"/> is on; they are not part of the text.</summary>
    public IReadOnlySet<int> EndOfSequenceIds { get; } = new HashSet<int>(model.Config.EosTokenIds) { tokenizer.EndOfTextId };

    /// <summary>A running batch for a caller that admits rows as it goes (the serving engine's continuous batching).</summary>
    /// <param name="maxRows">The most rows that will run at once: the cache makes room for them when first allocated.</param>
    internal DecodingBatch NewBatch(Action<int, GenerationResult> onFinished, int maxRows = 0) =>
        new(model, tokenizer, EndOfSequenceIds, SharePrefixes) { OnToken = OnToken, OnFinished = onFinished, MaxRows = maxRows };

    public IReadOnlyList<GenerationResult> Generate(IReadOnlyList<GenerationRequest> requests, CancellationToken cancellation = default)
    {
        if (requests.Count == 0) return [];
        foreach (var r in requests)
        {
            r.Options.Validate();
            if (r.PromptIds.Count == 0) throw new ArgumentException("a prompt must contain at least one token.");
        }
        int maxPrompt = requests.Max(r => r.PromptIds.Count);
        int maxNew = requests.Max(r => r.Options.MaxNewTokens);
        if (maxPrompt + maxNew > model.Config.MaxPositionEmbeddings)
            throw new ArgumentException($"prompt ({maxPrompt} tokens) + max new tokens ({maxNew}) exceeds the model's context of {model.Config.MaxPositionEmbeddings}.");

        var results = new GenerationResult[requests.Count];
        using var batch = NewBatch((row, result) => results[row] = result);
        batch.Admit(requests.Select((r, i) => (i, r)).ToArray(), maxPrompt + maxNew);
        while (batch.Running > 0)
        {
            cancellation.ThrowIfCancellationRequested();
            batch.Step();
        }
        return results;
    }
}
