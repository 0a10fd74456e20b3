using System.Text;
using System.Text.Unicode;

namespace Rlpt.Data.Readers;

/// <summary>Bytes to text, never failing: invalid UTF-8 becomes U+FFFD and is reported as repaired.</summary>
internal static class Utf8Text
{
    public static string Decode(ReadOnlySpan<byte> bytes, out bool repaired)
    {
        if (bytes.StartsWith("\uFEFF"u8)) bytes = bytes[3..];
        repaired = !Utf8.IsValid(bytes);
        return Encoding.UTF8.GetString(bytes);
    }
}
