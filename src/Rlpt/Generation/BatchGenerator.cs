using System.Text;
using Rlpt.Modeling;
using Rlpt.Tokenization;
using static TorchSharp.torch;

namespace Rlpt.Generation;

/// <summary>
/// Batched autoregressive generation with a KV cache. Prompts are left-padded so every row's next token sits in
/// the last column; finished rows are dropped from the batch (and the cache) once enough of them accumulate.
/// A row whose <see cref="GenerationRequest.Cancellation"/> fires finishes at the next step like any other, so one
/// caller giving up does not stop the batch. Requests with the same prompt (GRPO's G samples of a prompt) share one
/// prefill: each distinct prompt is forwarded once and its KV cache row copied to its requests.
/// </summary>
public sealed class BatchGenerator(CausalLM model, Tokenizer tokenizer)
{
    /// <summary>Rows are compacted away once this fraction of the running batch has finished.</summary>
    private const double CompactionFraction = 0.25;

    /// <summary>Prefill each distinct prompt once (default); false prefills every request's prompt, for comparison.</summary>
    public bool SharePrefixes { get; init; } = true;

    /// <summary>Called after each decoding step with (request index, token id) for every row that produced a token.</summary>
    public Action<int, int>? OnToken { get; init; }

    /// <summary>Tokens that end a sequence when <see cref="SamplingOptions.StopAtEndOfText"/> is on; they are not part of the text.</summary>
    public IReadOnlySet<int> EndOfSequenceIds { get; } = new HashSet<int>(model.Config.EosTokenIds) { tokenizer.EndOfTextId };

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
        int capacity = maxPrompt + maxNew;
        if (capacity > model.Config.MaxPositionEmbeddings)
            throw new ArgumentException($"prompt ({maxPrompt} tokens) + max new tokens ({maxNew}) exceeds the model's context of {model.Config.MaxPositionEmbeddings}.");

        var device = model.parameters().First().device;
        var rows = requests.Select((r, i) => new RowState(i, r.Options, tokenizer)).ToList();
        var endIds = EndOfSequenceIds;

        using var inference = inference_mode();
        using var outer = NewDisposeScope();
        var (prefilled, source) = Prefills(requests);
        var (inputIds, padding) = LeftPad(prefilled, maxPrompt, capacity, tokenizer.PadId, device);
        var cache = new KvCache(model.Config, prefilled.Count, capacity, device, model.parameters().First().dtype);
        var active = Enumerable.Range(0, rows.Count).ToList();
        int finishedSinceCompaction = 0;
        try
        {
            var logits = model.Forward(inputIds, padding?.narrow(1, 0, maxPrompt), cache: cache, lastOnly: true);
            if (prefilled.Count < requests.Count)
            {
                // Each request takes its prompt's prefilled row: cache, last logits and padding mask.
                using var rowsOf = tensor(source, device: device);
                var copied = cache.Select(rowsOf);
                cache.Dispose();
                cache = copied;
                logits = logits.index_select(0, rowsOf);
                padding = padding?.index_select(0, rowsOf);
            }
            for (int step = 0; step < maxNew && active.Count > 0; step++)
            {
                cancellation.ThrowIfCancellationRequested();
                foreach (var a in active)
                    if (rows[a].Finished is null && requests[a].Cancellation.IsCancellationRequested)
                    {
                        rows[a].Cancel();
                        finishedSinceCompaction++;
                    }
                if (active.All(a => rows[a].Finished is not null)) break;
                using var stepScope = NewDisposeScope();
                var options = active.Select(a => rows[a].Options).ToArray();
                var uniforms = active.Select(a => rows[a].Random.NextDouble()).ToArray();
                var (tokens, logProbs) = TokenSampler.Sample(logits.squeeze(1), options, uniforms);
                for (int i = 0; i < active.Count; i++)
                {
                    var row = rows[active[i]];
                    if (!row.Add((int)tokens[i], logProbs[i], endIds)) continue;
                    OnToken?.Invoke(row.Index, (int)tokens[i]);
                    if (row.Finished is not null) finishedSinceCompaction++;
                }
                if (active.All(a => rows[a].Finished is not null)) break;

                var next = tensor(tokens, device: device).unsqueeze(1);
                if (finishedSinceCompaction >= Math.Max(1, CompactionFraction * active.Count))
                {
                    var keep = Enumerable.Range(0, active.Count).Where(i => rows[active[i]].Finished is null).ToArray();
                    using var keepIndex = tensor(keep.Select(k => (long)k).ToArray(), device: device);
                    var compacted = cache.Select(keepIndex);
                    cache.Dispose();
                    cache = compacted;
                    next = next.index_select(0, keepIndex);
                    if (padding is not null)
                    {
                        var kept = padding.index_select(0, keepIndex).MoveToOuterDisposeScope();
                        padding.Dispose();
                        padding = kept;
                    }
                    active = keep.Select(k => active[k]).ToList();
                    finishedSinceCompaction = 0;
                }
                logits.Dispose();
                logits = model.Forward(next, padding?.narrow(1, 0, cache.Length + 1), cache: cache, lastOnly: true).MoveToOuterDisposeScope();
            }
        }
        finally
        {
            cache.Dispose();
        }
        return rows.Select(r => r.ToResult(requests[r.Index].PromptIds.Count)).ToArray();
    }

    /// <summary>The prompts to prefill and, for each request, the row of its prompt among them.</summary>
    private (IReadOnlyList<IReadOnlyList<int>> Prompts, long[] Source) Prefills(IReadOnlyList<GenerationRequest> requests)
    {
        if (!SharePrefixes) return (requests.Select(r => r.PromptIds).ToArray(), Enumerable.Range(0, requests.Count).Select(i => (long)i).ToArray());
        var prompts = new List<IReadOnlyList<int>>();
        var source = new long[requests.Count];
        for (int r = 0; r < requests.Count; r++)
        {
            var prompt = requests[r].PromptIds;
            int found = prompts.FindIndex(p => ReferenceEquals(p, prompt) || p.SequenceEqual(prompt));
            if (found < 0) { found = prompts.Count; prompts.Add(prompt); }
            source[r] = found;
        }
        return (prompts, source);
    }

    /// <summary>
    /// Prompt ids left-padded to <paramref name="length"/>, and the padding mask over every position a row will hold
    /// (1 = real; sliced to the cached length at each step, so it never grows). Null when no prompt is padded: then no
    /// attention mask is needed at all.
    /// </summary>
    private static (Tensor Ids, Tensor? Padding) LeftPad(IReadOnlyList<IReadOnlyList<int>> prompts, int length, int capacity, int padId, Device device)
    {
        var ids = new long[prompts.Count * length];
        var mask = new long[prompts.Count * capacity];
        for (int r = 0; r < prompts.Count; r++)
        {
            var prompt = prompts[r];
            int offset = length - prompt.Count;
            for (int t = 0; t < length; t++) ids[r * length + t] = t >= offset ? prompt[t - offset] : padId;
            for (int t = offset; t < capacity; t++) mask[r * capacity + t] = 1;
        }
        bool padded = prompts.Any(p => p.Count < length);
        return (tensor(ids, [prompts.Count, length], device: device), padded ? tensor(mask, [prompts.Count, capacity], device: device) : null);
    }

    /// <summary>What one request has produced so far.</summary>
    private sealed class RowState(int index, SamplingOptions options, Tokenizer tokenizer)
    {
        private readonly List<int> tokens = [];
        private readonly List<float> logProbs = [];
        private readonly StopCriteria stops = new(options.StopStrings);

        public int Index { get; } = index;
        public SamplingOptions Options { get; } = options;
        public Random Random { get; } = options.Seed is int seed ? new Random(seed) : new Random();
        public FinishReason? Finished { get; private set; }

        /// <returns>False when the row had already finished (it waits in the batch until compaction).</returns>
        public bool Add(int token, float logProb, IReadOnlySet<int> endIds)
        {
            if (Finished is not null) return false;
            tokens.Add(token);
            logProbs.Add(logProb);
            if (Options.StopAtEndOfText && endIds.Contains(token)) Finished = FinishReason.Stop;
            else if (stops.Append(tokenizer.DecodeBytes([token]))) Finished = FinishReason.Stop;
            else if (tokens.Count >= Options.MaxNewTokens) Finished = FinishReason.Length;
            return true;
        }

        public void Cancel() => Finished = FinishReason.Cancelled;

        public GenerationResult ToResult(int promptTokens)
        {
            bool endedAtEndOfText = Finished == FinishReason.Stop && stops.StopAt is null;
            var textTokens = endedAtEndOfText ? tokens.Take(tokens.Count - 1) : tokens;
            var bytes = stops.StopAt is int cut ? stops.Bytes.Take(cut).ToArray() : tokenizer.DecodeBytes(textTokens);
            return new GenerationResult(tokens.ToArray(), logProbs.ToArray(), Encoding.UTF8.GetString(bytes), Finished ?? FinishReason.Length, promptTokens);
        }
    }
}
