namespace Rlpt.Data.Segmentation;

/// <summary>What one segment holds before the size rules of <see cref="SegmentationOptions"/> apply.</summary>
public enum SegmentUnit
{
    /// <summary>A sentence (see <see cref="Segmenter"/> for the rules).</summary>
    Sentence,

    /// <summary>A paragraph: text between blank lines.</summary>
    Paragraph,

    /// <summary>A non-empty line.</summary>
    Line,
}
