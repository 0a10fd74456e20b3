using Rlpt.Data.Cleaning;
using Rlpt.Data.Readers;
using Rlpt.Data.Segmentation;

namespace Rlpt.Data.Import;

/// <summary>Everything `rlpt corpus import` decides, with documented defaults.</summary>
public sealed record CorpusImportOptions
{
    public ReaderOptions Reader { get; init; } = new();
    public CleaningOptions Cleaning { get; init; } = new();
    /// <summary>Sentences by default, as RLPT uses them.</summary>
    public SegmentationOptions Segmentation { get; init; } = new();
    /// <summary>When set, segments are windows of about this many tokens cut at word boundaries instead.</summary>
    public int? WindowTokens { get; init; }
    /// <summary>Share of documents held out (by a hash of the text).</summary>
    public double HeldOutFraction { get; init; } = 0.05;
    /// <summary>Evaluation files (any readable format): training documents sharing an n-gram with them are dropped.</summary>
    public IReadOnlyList<string> EvaluationSets { get; init; } = [];
    /// <summary>Word n-gram length for decontamination (GPT-3 used 13).</summary>
    public int DecontaminationN { get; init; } = 13;
    /// <summary>Per-source sampling weights; unnamed sources get 1.</summary>
    public IReadOnlyDictionary<string, double> SourceWeights { get; init; } = new Dictionary<string, double>();
    /// <summary>An existing tokenizer.json; null trains a byte-level BPE tokenizer on the cleaned training text.</summary>
    public string? TokenizerPath { get; init; }
    public int VocabSize { get; init; } = 4096;
    /// <summary>Training text the tokenizer sees at most (the BPE trainer keeps word counts, not text).</summary>
    public long TokenizerTrainingBytes { get; init; } = 200_000_000;

    public void Validate()
    {
        if (HeldOutFraction is < 0 or >= 1) throw new ArgumentException($"held-out fraction must be in [0, 1) (got {HeldOutFraction}).");
        if (DecontaminationN < 3) throw new ArgumentException($"decontamination n-gram length must be at least 3 (got {DecontaminationN}).");
        if (WindowTokens is < 4) throw new ArgumentException($"window tokens must be at least 4 (got {WindowTokens}).");
        if (VocabSize < 512 && TokenizerPath is null) throw new ArgumentException($"vocabulary size must be at least 512 (got {VocabSize}).");
        foreach (var (source, weight) in SourceWeights)
            if (!(weight >= 0) || double.IsInfinity(weight)) throw new ArgumentException($"weight of source '{source}' must be a non-negative number (got {weight}).");
    }
}
