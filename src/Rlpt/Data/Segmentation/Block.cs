namespace Rlpt.Data.Segmentation;

internal enum BlockKind
{
    Paragraph,
    Heading,
    ListItem,
}

/// <summary>
/// A run of lines that no segment crosses except by the short-paragraph rule. <see cref="BodyStart"/> is where
/// sentence scanning begins: after a list item's marker, so "1." is not read as a sentence end.
/// </summary>
internal readonly record struct Block(int Start, int End, int BodyStart, BlockKind Kind);
