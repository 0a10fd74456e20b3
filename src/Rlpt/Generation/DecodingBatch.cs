using System.Text;
using Rlpt.Modeling;
using Rlpt.Tokenization;
using static TorchSharp.torch;

namespace Rlpt.Generation;

/// <summary>
/// Rows decoded together over one KV cache. Rows join between steps (<see cref="Admit"/>), each <see cref="Step"/>
/// samples one token for every row, a finished row is reported at once and its cache row dropped once enough rows
/// have finished. <see cref="BatchGenerator"/> admits every request at once and steps to the end (static batching);
/// the serving engine admits waiting rows before every step (continuous batching).
/// <para>
/// Prompts are left-padded, so every row's next token sits in the last column and one step forwards one column for
/// all rows. A row joining later is left-padded to the batch's current length (or the batch is padded on the left to
/// a longer prompt); rotary positions come from the padding mask, so a row's positions, and therefore its tokens,
/// do not depend on what it shares the batch with. Leading columns that every row holds as padding are dropped when
/// rows join, which keeps the cache as short as its longest row.
/// </para>
/// Requests with the same prompt admitted together share one prefill (GRPO's G samples of a prompt).
/// </summary>
internal sealed class DecodingBatch(CausalLM model, Tokenizer tokenizer, IReadOnlySet<int> endOfSequenceIds, bool sharePrefixes) : IDisposable
{
    /// <summary>Rows are compacted away once this fraction of the running batch has finished.</summary>
    private const double CompactionFraction = 0.25;

    private readonly Device device = model.parameters().First().device;
    private readonly List<Row> rows = [];
    private KvCache? cache;
    // [rows, capacity], 1 = real token; null while no row is padded (then no attention mask is needed at all).
    private Tensor? padding;
    // The next-token logits of every row [rows, 1, vocab].
    private Tensor? logits;
    private int finishedSinceCompaction;

    /// <summary>Called after each step with (row id, token id) for every row that produced a token.</summary>
    public Action<int, int>? OnToken { get; init; }

    /// <summary>Rows the cache makes room for when it is first allocated (the most that will run at once); joining rows then need no reallocation.</summary>
    public int MaxRows { get; init; }

    /// <summary>Called once per row, as soon as it finishes (on the thread that steps).</summary>
    public Action<int, GenerationResult>? OnFinished { get; init; }

    /// <summary>Rows still decoding.</summary>
    public int Running => rows.Count(r => r.Finished is null);

    /// <summary>
    /// Cache positions the batch would need to take these rows now: its current length once the padding every row
    /// shares is dropped, widened to the longest joining prompt, plus the most tokens any row may still add.
    /// </summary>
    public int CapacityWith(IEnumerable<GenerationRequest> joining)
    {
        var (width, remaining) = Extent(joining, trimmed: true);
        return width + remaining;
    }

    private (int Width, int Remaining) Extent(IEnumerable<GenerationRequest> joining, bool trimmed)
    {
        var running = rows.Where(r => r.Finished is null).ToArray();
        int width = running.Length == 0 ? 0 : cache!.Length - (trimmed ? running.Min(r => r.Start) : 0);
        int remaining = running.Length == 0 ? 0 : running.Max(r => r.Remaining);
        foreach (var request in joining)
        {
            width = Math.Max(width, request.PromptIds.Count);
            remaining = Math.Max(remaining, request.Options.MaxNewTokens);
        }
        return (width, remaining);
    }

    /// <summary>
    /// Prefills these rows and adds them to the batch. The cache is re-laid only when it must be: for a prompt longer
    /// than the batch, or when its capacity would not last; it then drops the padding every row shares and takes at
    /// least <paramref name="capacity"/> positions.
    /// </summary>
    public void Admit(IReadOnlyList<(int Id, GenerationRequest Request)> joining, int capacity)
    {
        if (joining.Count == 0) return;
        using var inference = inference_mode();
        using var scope = NewDisposeScope();
        DropFinished();
        var requests = joining.Select(j => j.Request).ToArray();
        int width;
        if (cache is null)
        {
            var (w, remaining) = Extent(requests, trimmed: false);
            (width, capacity) = (w, Math.Max(capacity, w + remaining));
        }
        else
        {
            var (untrimmed, remaining) = Extent(requests, trimmed: false);
            width = untrimmed;
            if (untrimmed > cache.Length || untrimmed + remaining > cache.Capacity)
            {
                var (trimmedWidth, _) = Extent(requests, trimmed: true);
                width = trimmedWidth;
                Relay(width - cache.Length, Math.Max(capacity, width + remaining));
            }
            capacity = cache.Capacity;
        }

        // Each distinct prompt is forwarded once, left-padded to the batch's width; its requests copy its row.
        var prompts = new List<IReadOnlyList<int>>();
        var source = new long[joining.Count];
        for (int r = 0; r < joining.Count; r++)
        {
            var prompt = requests[r].PromptIds;
            int found = sharePrefixes ? prompts.FindIndex(p => ReferenceEquals(p, prompt) || p.SequenceEqual(prompt)) : -1;
            if (found < 0) { found = prompts.Count; prompts.Add(prompt); }
            source[r] = found;
        }
        // Prefilled at their own width, not the batch's (which grows as it decodes), then shifted right into place.
        int own = prompts.Max(p => p.Count);
        var joinedCache = new KvCache(model.Config, prompts.Count, own == width ? capacity : own, device, model.parameters().First().dtype);
        bool scorePrompts = requests.Any(r => r.Options.PromptLogProbs is not null);
        var joinedLogits = model.Forward(LeftPadded(prompts, own), PaddingMask(prompts, own, own, ragged: false), cache: joinedCache, lastOnly: !scorePrompts);
        if (own != width)
        {
            var shifted = joinedCache.Realigned(width - own, capacity);
            joinedCache.Dispose();
            joinedCache = shifted;
        }
        var joinedPadding = PaddingMask(prompts, width, capacity, ragged: padding is not null);
        var sourceRows = tensor(source, device: device);
        var promptScores = scorePrompts ? ScorePrompts(joinedLogits.index_select(0, sourceRows), requests, own) : null;
        if (scorePrompts) joinedLogits = joinedLogits.narrow(1, own - 1, 1);
        if (prompts.Count < joining.Count)
        {
            var copied = joinedCache.Select(sourceRows);
            joinedCache.Dispose();
            joinedCache = copied;
            joinedLogits = joinedLogits.index_select(0, sourceRows);
            joinedPadding = joinedPadding?.index_select(0, sourceRows);
        }

        if (cache is null)
        {
            // Room for MaxRows rows, so later rows join in place.
            cache = joinedCache.RowCapacity >= MaxRows ? joinedCache : joinedCache.Realigned(0, capacity, MaxRows);
            if (!ReferenceEquals(cache, joinedCache)) joinedCache.Dispose();
            Replace(ref padding, joinedPadding);
            Replace(ref logits, joinedLogits);
        }
        else
        {
            if (cache.BatchSize + joining.Count > cache.RowCapacity)
            {
                var wider = cache.Realigned(0, cache.Capacity, Math.Max(MaxRows, cache.BatchSize + joining.Count));
                cache.Dispose();
                cache = wider;
            }
            cache.AppendRows(joinedCache);
            joinedCache.Dispose();
            if (padding is not null || joinedPadding is not null)
                Replace(ref padding, cat([padding ?? ones(rows.Count, capacity, ScalarType.Int64, device), joinedPadding ?? ones(joining.Count, capacity, ScalarType.Int64, device)], 0));
            Replace(ref logits, cat([logits!, joinedLogits], 0));
        }
        for (int r = 0; r < joining.Count; r++)
            rows.Add(new Row(joining[r].Id, requests[r], tokenizer, promptScores?[r]) { Start = width - requests[r].PromptIds.Count });
    }

    /// <summary>vLLM's prompt_logprobs for the rows that ask (null for the others): each prompt token after the first, given those before it.</summary>
    private IReadOnlyList<PromptTokenLogProb>?[] ScorePrompts(Tensor full, IReadOnlyList<GenerationRequest> requests, int width)
    {
        var scores = new IReadOnlyList<PromptTokenLogProb>?[requests.Count];
        for (int r = 0; r < requests.Count; r++)
        {
            var request = requests[r];
            if (request.Options.PromptLogProbs is not int top) continue;
            int length = request.PromptIds.Count;
            if (length < 2) { scores[r] = []; continue; }
            using var rowScope = NewDisposeScope();
            // Under the row's sampling temperature, as its generated tokens' log-probs (greedy rows: the raw distribution).
            double temperature = request.Options.Temperature == 0 ? 1 : request.Options.Temperature;
            // Column width − length + t predicts prompt token t + 1.
            var logProbs = (full[r].narrow(0, width - length, length - 1).to(ScalarType.Float32) / temperature).log_softmax(-1);
            var targets = tensor(request.PromptIds.Skip(1).Select(t => (long)t).ToArray(), device: device).unsqueeze(1);
            var chosen = logProbs.gather(1, targets);
            var ranks = logProbs.gt(chosen).sum(1).add(1).cpu().data<long>().ToArray();
            var values = chosen.squeeze(1).cpu().data<float>().ToArray();
            var alternatives = TokenSampler.Top(logProbs, Enumerable.Repeat(top, length - 1).ToArray());
            scores[r] = Enumerable.Range(0, length - 1).Select(t => new PromptTokenLogProb(request.PromptIds[t + 1], values[t], (int)ranks[t], alternatives[t])).ToArray();
        }
        return scores;
    }

    /// <summary>One decoding step: every running row samples a token; the batch forwards them unless all have finished.</summary>
    public void Step()
    {
        if (cache is null) return;
        using var inference = inference_mode();
        using var scope = NewDisposeScope();
        foreach (var row in rows)
            if (row.Finished is null && row.Request.Cancellation.IsCancellationRequested)
            {
                row.Cancel();
                Finish(row);
            }
        if (Running == 0)
        {
            Reset();
            return;
        }
        var sampled = TokenSampler.Sample(logits!.squeeze(1), rows.Select(r => r.Request.Options).ToArray(), rows.Select(r => r.Random.NextDouble()).ToArray());
        for (int i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            if (!row.Add((int)sampled.Tokens[i], sampled.LogProbs[i], sampled.Top?[i], endOfSequenceIds)) continue;
            OnToken?.Invoke(row.Id, (int)sampled.Tokens[i]);
            if (row.Finished is not null) Finish(row);
        }
        if (Running == 0)
        {
            Reset();
            return;
        }
        var next = tensor(sampled.Tokens, device: device).unsqueeze(1);
        if (finishedSinceCompaction >= Math.Max(1, CompactionFraction * rows.Count))
        {
            var keepIndex = Keep();
            next = next.index_select(0, keepIndex);
        }
        Replace(ref logits, model.Forward(next, padding?.narrow(1, 0, cache.Length + 1), cache: cache, lastOnly: true));
    }

    private void Finish(Row row)
    {
        finishedSinceCompaction++;
        OnFinished?.Invoke(row.Id, row.ToResult());
    }

    /// <summary>Drops finished rows from the cache, the padding, the logits and the row list.</summary>
    private void DropFinished()
    {
        if (rows.All(r => r.Finished is null)) return;
        if (Running == 0)
        {
            Reset();
            return;
        }
        Replace(ref logits, logits!.index_select(0, Keep()));
    }

    /// <summary>Keeps the running rows in the cache, the padding and the row list; returns their indexes (in the current scope).</summary>
    private Tensor Keep()
    {
        var survivors = rows.Where(r => r.Finished is null).ToArray();
        var keepIndex = tensor(Enumerable.Range(0, rows.Count).Where(i => rows[i].Finished is null).Select(i => (long)i).ToArray(), device: device);
        cache!.KeepRows(keepIndex);
        if (padding is not null) Replace(ref padding, padding.index_select(0, keepIndex));
        rows.Clear();
        rows.AddRange(survivors);
        finishedSinceCompaction = 0;
        return keepIndex;
    }

    /// <summary>Moves every cached position by <paramref name="shift"/> into buffers of <paramref name="capacity"/> positions.</summary>
    private void Relay(int shift, int capacity)
    {
        var moved = cache!.Realigned(shift, capacity);
        cache.Dispose();
        cache = moved;
        var mask = zeros(rows.Count, capacity, ScalarType.Int64, device);
        int kept = moved.Length - Math.Max(shift, 0);
        // Without a padding mask every row's positions are all real, up to the end of the old capacity.
        var old = padding ?? ones(rows.Count, kept + Math.Max(-shift, 0), ScalarType.Int64, device);
        mask.narrow(1, Math.Max(shift, 0), kept).copy_(old.narrow(1, Math.Max(-shift, 0), kept));
        // Positions beyond the cached length are real for every row (the mask is sliced to the length at each step).
        mask.narrow(1, moved.Length, capacity - moved.Length).fill_(1);
        Replace(ref padding, shift > 0 || padding is not null ? mask : null);
        foreach (var row in rows) row.Start += shift;
    }

    /// <summary>Prompt ids left-padded to <paramref name="width"/>.</summary>
    private Tensor LeftPadded(IReadOnlyList<IReadOnlyList<int>> prompts, int width)
    {
        var ids = new long[prompts.Count * width];
        for (int r = 0; r < prompts.Count; r++)
        {
            int offset = width - prompts[r].Count;
            for (int t = 0; t < width; t++) ids[r * width + t] = t >= offset ? prompts[r][t - offset] : tokenizer.PadId;
        }
        return tensor(ids, [prompts.Count, width], device: device);
    }

    /// <summary>
    /// The padding mask over <paramref name="capacity"/> positions of prompts left-padded to <paramref name="width"/>;
    /// null when none is padded and <paramref name="ragged"/> (the batch they join has a mask) is false.
    /// </summary>
    private Tensor? PaddingMask(IReadOnlyList<IReadOnlyList<int>> prompts, int width, int capacity, bool ragged)
    {
        if (!ragged && prompts.All(p => p.Count == width)) return null;
        var mask = new long[prompts.Count * capacity];
        for (int r = 0; r < prompts.Count; r++)
            for (int t = width - prompts[r].Count; t < capacity; t++) mask[r * capacity + t] = 1;
        return tensor(mask, [prompts.Count, capacity], device: device);
    }

    private static void Replace(ref Tensor? field, Tensor? value)
    {
        var detached = value?.DetachFromDisposeScope();
        if (!ReferenceEquals(field, detached)) field?.Dispose();
        field = detached;
    }

    private void Reset()
    {
        cache?.Dispose();
        cache = null;
        Replace(ref padding, null);
        Replace(ref logits, null);
        rows.Clear();
        finishedSinceCompaction = 0;
    }

    public void Dispose() => Reset();

    /// <summary>What one row has produced so far.</summary>
    private sealed class Row(int id, GenerationRequest request, Tokenizer tokenizer, IReadOnlyList<PromptTokenLogProb>? promptLogProbs)
    {
        private readonly List<int> tokens = [];
        private readonly List<float> logProbs = [];
        private readonly List<IReadOnlyList<TokenLogProb>>? top = request.Options.TopLogProbs > 0 ? [] : null;
        private readonly StopCriteria stops = new(request.Options.StopStrings);

        public int Id { get; } = id;
        public GenerationRequest Request { get; } = request;
        public Random Random { get; } = request.Options.Seed is int seed ? new Random(seed) : new Random();
        public FinishReason? Finished { get; private set; }
        /// <summary>The cache column of this row's first real token.</summary>
        public int Start { get; set; }
        /// <summary>Tokens this row may still sample.</summary>
        public int Remaining => Request.Options.MaxNewTokens - tokens.Count;

        /// <returns>False when the row had already finished (it waits in the batch until compaction).</returns>
        public bool Add(int token, float logProb, TokenLogProb[]? alternatives, IReadOnlySet<int> endIds)
        {
            if (Finished is not null) return false;
            tokens.Add(token);
            logProbs.Add(logProb);
            top?.Add(alternatives ?? []);
            if (Request.Options.StopAtEndOfText && endIds.Contains(token)) Finished = FinishReason.Stop;
            else if (stops.Append(tokenizer.DecodeBytes([token]))) Finished = FinishReason.Stop;
            else if (tokens.Count >= Request.Options.MaxNewTokens) Finished = FinishReason.Length;
            return true;
        }

        public void Cancel() => Finished = FinishReason.Cancelled;

        public GenerationResult ToResult()
        {
            bool endedAtEndOfText = Finished == FinishReason.Stop && stops.StopAt is null;
            var textTokens = endedAtEndOfText ? tokens.Take(tokens.Count - 1) : tokens;
            var bytes = stops.StopAt is int cut ? stops.Bytes.Take(cut).ToArray() : tokenizer.DecodeBytes(textTokens);
            return new GenerationResult(tokens.ToArray(), logProbs.ToArray(), Encoding.UTF8.GetString(bytes), Finished ?? FinishReason.Length, Request.PromptIds.Count)
            {
                TopLogProbs = top?.ToArray(),
                PromptLogProbs = promptLogProbs,
            };
        }
    }
}
