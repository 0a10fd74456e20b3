using System.Runtime.InteropServices;

namespace Rlpt.Data.Store;

/// <summary>
/// One document of a split: its tokens [TokenStart, TokenStart + TokenCount) in the split's token file (the
/// end-of-text separator follows them), its segments [SegmentStart, SegmentStart + SegmentCount) in the segment
/// index, its source (index into meta.json's sources) and its length in characters.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
public readonly record struct DocumentEntry(long TokenStart, int TokenCount, long SegmentStart, int SegmentCount, int SourceIndex, int CharCount);

/// <summary>
/// One segment (sentence, paragraph, ...): its tokens in the split's token file and its character range within
/// the document's text. A segment's tokens include the whitespace before it, so a document's segments tile its
/// tokens exactly and decoding a segment's tokens gives that whitespace plus the segment's text.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
public readonly record struct SegmentEntry(long TokenStart, int TokenCount, int CharStart, int CharLength);
