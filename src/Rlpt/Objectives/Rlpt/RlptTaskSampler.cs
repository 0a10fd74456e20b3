using Rlpt.Data.Store;
using Rlpt.Tokenization;

namespace Rlpt.Objectives.Rlpt;

/// <summary>
/// Draws ASR and MSR tasks from a split's documents, reading segments from the index instead of re-splitting text.
/// Each draw picks the kind (MSR with probability msr_fraction), then a document among those with an eligible
/// target for that kind with probability ∝ its source's weight (uniform within a source), then one of the
/// document's eligible targets uniformly. A target s_i is eligible when it and, for MSR, s_i+1 exist and have at
/// most max_target_tokens tokens, and its min_context_segments preceding segments fit context_tokens. With a source
/// named in the options, only that source's documents are drawn (uniformly); a name also covers the sources below it
/// ("brown" is every "brown/..." category).
/// The context keeps the latest preceding segments that fit context_tokens, dropping the earliest whole.
/// </summary>
/// <remarks>
/// The n-th task is a pure function of (seed, n), so <see cref="Drawn"/> is the whole state: a sampler created with
/// the saved count continues exactly where the old one stopped.
/// </remarks>
public sealed class RlptTaskSampler
{
    private readonly DatasetSplit split;
    private readonly Tokenizer tokenizer;
    private readonly IReadOnlyList<SourceInfo> sources;
    private readonly RlptTaskOptions options;
    private readonly Pool asr;
    private readonly Pool msr;

    /// <summary>Tasks drawn so far by <see cref="Next()"/>; save it to resume.</summary>
    public long Drawn { get; private set; }

    /// <param name="sources">The dataset's sources (meta.json), for names and weights.</param>
    /// <param name="drawn">Tasks already drawn by an earlier sampler with the same options (resume).</param>
    public RlptTaskSampler(DatasetSplit split, Tokenizer tokenizer, IReadOnlyList<SourceInfo> sources, RlptTaskOptions options, long drawn = 0)
    {
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfNegative(drawn);
        if (sources.Any(s => !double.IsFinite(s.Weight) || s.Weight < 0))
            throw new ArgumentException("source weights must be finite and non-negative.", nameof(sources));
        if (options.Source is { } only)
        {
            bool Named(SourceInfo s) => IsSourceIn(s.Name, only);
            if (!sources.Any(Named)) throw new ArgumentException($"source '{only}' is not a source of this dataset (it has: {string.Join(", ", sources.Select(s => s.Name))}).");
            sources = sources.Select(s => s with { Weight = Named(s) ? 1 : 0 }).ToArray();
        }
        this.split = split;
        this.tokenizer = tokenizer;
        this.sources = sources;
        this.options = options;
        Drawn = drawn;
        (asr, msr) = BuildPools();
        if (options.MsrFraction < 1) Require(RlptTaskKind.Asr);
        if (options.MsrFraction > 0) Require(RlptTaskKind.Msr);
    }

    /// <summary>Whether <paramref name="source"/> is <paramref name="named"/> or a category below it ("brown/humor" is in "brown").</summary>
    internal static bool IsSourceIn(string source, string named) => source == named || source.StartsWith(named + "/", StringComparison.Ordinal);

    /// <summary>Eligible targets of a kind in the whole split.</summary>
    public long EligibleTargets(RlptTaskKind kind) => PoolOf(kind).Targets.Sum(t => (long)t);

    public RlptTask Next()
    {
        var task = Draw(Drawn);
        Drawn++;
        return task;
    }

    public IReadOnlyList<RlptTask> Next(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var tasks = new RlptTask[count];
        for (int n = 0; n < count; n++) tasks[n] = Next();
        return tasks;
    }

    /// <summary>The task a sampler returns as its <paramref name="index"/>-th draw; does not change <see cref="Drawn"/>.</summary>
    public RlptTask Draw(long index)
    {
        var random = new CounterRandom(options.Seed, index);
        var kind = random.NextDouble() < options.MsrFraction ? RlptTaskKind.Msr : RlptTaskKind.Asr;
        var (document, segment) = Pick(kind, ref random);
        return Build(kind, document, segment);
    }

    /// <summary>
    /// A fixed evaluation set (use it on the validation split): ASR and MSR alternate, starting with ASR, whatever
    /// msr_fraction is; the same (count, seed) gives the same tasks. Targets repeat only when the split has too few.
    /// </summary>
    public IReadOnlyList<RlptTask> EvaluationTasks(int count, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Require(RlptTaskKind.Asr);
        Require(RlptTaskKind.Msr);
        const int attemptsPerTask = 64;
        var seen = new HashSet<(RlptTaskKind, long, int)>();
        var tasks = new RlptTask[count];
        for (int n = 0; n < count; n++)
        {
            var kind = n % 2 == 0 ? RlptTaskKind.Asr : RlptTaskKind.Msr;
            var random = new CounterRandom(seed, n);
            var pick = Pick(kind, ref random);
            for (int attempt = 1; attempt < attemptsPerTask && seen.Contains((kind, pick.Document, pick.Segment)); attempt++)
                pick = Pick(kind, ref random);
            seen.Add((kind, pick.Document, pick.Segment));
            tasks[n] = Build(kind, pick.Document, pick.Segment);
        }
        return tasks;
    }

    private (long Document, int Segment) Pick(RlptTaskKind kind, ref CounterRandom random)
    {
        var pool = PoolOf(kind);
        double draw = random.NextDouble() * pool.Cumulative[^1];
        int slot = Array.BinarySearch(pool.Cumulative, draw);
        // Not found gives the complement of the first larger entry: the document whose weight interval holds draw.
        slot = slot < 0 ? ~slot : slot + 1;
        slot = Math.Min(slot, pool.Documents.Length - 1);
        long document = pool.Documents[slot];
        long wanted = random.Next(pool.Targets[slot]);
        var counts = TokenCounts(split.Documents[document]);
        for (int i = 0; i < counts.Length; i++)
            if (IsEligible(kind, counts, i) && wanted-- == 0) return (document, i);
        throw new InvalidOperationException("the segment index changed while sampling.");
    }

    private RlptTask Build(RlptTaskKind kind, long documentIndex, int i)
    {
        var document = split.Documents[documentIndex];
        SegmentEntry Segment(int k) => split.Segments[document.SegmentStart + k];
        int first = i, budget = options.ContextTokens;
        while (first > 0 && Segment(first - 1).TokenCount <= budget) budget -= Segment(--first).TokenCount;
        var target = Segment(i);
        var last = Segment(Math.Min(i + options.ReferenceSegments, document.SegmentCount) - 1);
        string context = Decode(Segment(first).TokenStart, target.TokenStart);
        string reference = Decode(target.TokenStart, target.TokenStart + target.TokenCount);
        string continuation = Decode(target.TokenStart, last.TokenStart + last.TokenCount);
        string prompt = kind == RlptTaskKind.Asr
            ? RlptPrompts.Asr(context, options.Prompts)
            : RlptPrompts.Msr(context, Decode(Segment(i + 1).TokenStart, Segment(i + 1).TokenStart + Segment(i + 1).TokenCount), options.Prompts);
        return new RlptTask(kind, prompt, context, reference, continuation, documentIndex, i, sources[document.SourceIndex].Name);
    }

    // Segments carry the whitespace before them, so a range of whole segments decodes to the document's own text.
    private string Decode(long start, long end) => tokenizer.Decode(split.ReadTokens(start, checked((int)(end - start)))).Trim();

    private bool IsEligible(RlptTaskKind kind, int[] counts, int i)
    {
        if (i < options.MinContextSegments || counts[i] > options.MaxTargetTokens) return false;
        if (kind == RlptTaskKind.Msr && (i + 1 >= counts.Length || counts[i + 1] > options.MaxTargetTokens)) return false;
        long context = 0;
        for (int k = i - options.MinContextSegments; k < i; k++) context += counts[k];
        return context <= options.ContextTokens;
    }

    private int[] TokenCounts(DocumentEntry document)
    {
        var counts = new int[document.SegmentCount];
        for (int k = 0; k < counts.Length; k++) counts[k] = split.Segments[document.SegmentStart + k].TokenCount;
        return counts;
    }

    private (Pool Asr, Pool Msr) BuildPools()
    {
        var builders = new[] { new PoolBuilder(), new PoolBuilder() };
        for (long d = 0; d < split.Documents.Count; d++)
        {
            var document = split.Documents[d];
            if (document.SourceIndex < 0 || document.SourceIndex >= sources.Count)
                throw new InvalidDataException($"document {d} names source {document.SourceIndex}, but the dataset lists {sources.Count} sources.");
            double weight = sources[document.SourceIndex].Weight;
            if (weight == 0) continue;
            var counts = TokenCounts(document);
            foreach (var kind in new[] { RlptTaskKind.Asr, RlptTaskKind.Msr })
            {
                int targets = 0;
                for (int i = 0; i < counts.Length; i++) if (IsEligible(kind, counts, i)) targets++;
                if (targets > 0) builders[(int)kind].Add(d, weight, targets);
            }
        }
        return (builders[(int)RlptTaskKind.Asr].ToPool(), builders[(int)RlptTaskKind.Msr].ToPool());
    }

    private Pool PoolOf(RlptTaskKind kind) => kind == RlptTaskKind.Asr ? asr : msr;

    private void Require(RlptTaskKind kind)
    {
        if (PoolOf(kind).Documents.Length > 0) return;
        int segments = options.MinContextSegments + (kind == RlptTaskKind.Msr ? 2 : 1);
        throw new InvalidDataException(
            $"none of the split's {split.Documents.Count} documents has a target for {kind.ToString().ToUpperInvariant()}: " +
            $"a document needs at least {segments} segments, targets of at most {options.MaxTargetTokens} tokens " +
            $"(max_target_tokens) and {options.MinContextSegments} preceding segment(s) within {options.ContextTokens} tokens " +
            "(context_tokens), from a source with non-zero weight. Was the corpus segmented into sentences?");
    }

    /// <summary>Documents with eligible targets of one kind, their cumulative sampling weights and target counts.</summary>
    private sealed record Pool(long[] Documents, double[] Cumulative, int[] Targets);

    private sealed class PoolBuilder
    {
        private readonly List<long> documents = [];
        private readonly List<double> cumulative = [];
        private readonly List<int> targets = [];

        public void Add(long document, double weight, int targetCount)
        {
            documents.Add(document);
            cumulative.Add((cumulative.Count == 0 ? 0 : cumulative[^1]) + weight);
            targets.Add(targetCount);
        }

        public Pool ToPool() => new([.. documents], [.. cumulative], [.. targets]);
    }
}
