namespace Rlpt.Data.Segmentation;

/// <summary>
/// Merges pieces shorter than the minimum, block by block (see <see cref="SegmentationOptions"/> for the rule).
/// Merging two pieces takes the whitespace between them along, so segments stay ranges of the original text.
/// </summary>
internal sealed class ShortSegmentMerger(int minChars, int maxChars, List<Segment> output)
{
    // A whole block shorter than the minimum, waiting to join the next block.
    private Segment? carry;

    // Whether output's last segment came from a block that takes merges from outside.
    private bool lastMergeable;

    public void AddBlock(List<Segment> pieces, bool mergeable)
    {
        Segment? pending = null;
        if (carry is { } waiting)
        {
            carry = null;
            if (mergeable && pieces.Count > 0 && Fits(waiting, pieces[0])) pending = waiting;
            else
            {
                AppendBackward(waiting, lastMergeable);
                lastMergeable = true;
            }
        }

        var blockStart = output.Count;
        foreach (var piece in pieces)
        {
            var current = piece;
            if (pending is { } previous)
            {
                if (Fits(previous, piece)) current = new Segment(previous.Start, piece.End);
                else AppendBackward(previous, output.Count > blockStart);
                pending = null;
            }
            if (current.Length < minChars) pending = current;
            else output.Add(current);
        }

        if (pending is { } last)
        {
            if (output.Count > blockStart) AppendBackward(last, canJoin: true);
            else if (mergeable) carry = last;
            else output.Add(last);
        }
        if (output.Count > blockStart) lastMergeable = mergeable;
    }

    public void Finish()
    {
        if (carry is { } waiting) AppendBackward(waiting, lastMergeable);
        carry = null;
    }

    private bool Fits(Segment first, Segment second) => second.End - first.Start <= maxChars;

    private void AppendBackward(Segment piece, bool canJoin)
    {
        if (canJoin && output.Count > 0 && Fits(output[^1], piece))
            output[^1] = new Segment(output[^1].Start, piece.End);
        else output.Add(piece);
    }
}
