using System.Text;
using System.Text.RegularExpressions;

namespace Rlpt.Data.Readers;

/// <summary>
/// A file glob: <c>*</c> and <c>?</c> match within one path segment, <c>**</c> across segments
/// (<c>data/**/*.jsonl</c>). Split into the fixed folder before the first wildcard and a matcher for paths below it.
/// </summary>
internal sealed class GlobPattern
{
    private readonly Regex _relative;

    public string Root { get; }

    public bool Recursive { get; }

    public GlobPattern(string pattern)
    {
        var segments = pattern.Replace('\\', '/').Split('/');
        var firstWild = Array.FindIndex(segments, IsWild);
        var root = string.Join('/', segments[..firstWild]);
        Root = firstWild == 0 ? "." : root.Length == 0 ? "/" : root;
        var rest = segments[firstWild..];
        Recursive = rest.Length > 1 || rest.Any(s => s.Contains("**"));
        _relative = new Regex("^" + ToRegex(string.Join('/', rest)) + "$", RegexOptions.CultureInvariant);
    }

    public static bool IsWild(string input) => input.Contains('*') || input.Contains('?');

    /// <summary>Whether a path relative to <see cref="Root"/> (with '/' separators) matches.</summary>
    public bool Matches(string relativePath) => _relative.IsMatch(relativePath);

    private static string ToRegex(string glob)
    {
        var regex = new StringBuilder();
        for (var i = 0; i < glob.Length; i++)
        {
            if (glob[i] == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                // "**/" matches zero or more folders; a bare "**" anything at all.
                var slash = i + 2 < glob.Length && glob[i + 2] == '/';
                regex.Append(slash ? "(?:.*/)?" : ".*");
                i += slash ? 2 : 1;
            }
            else if (glob[i] == '*') regex.Append("[^/]*");
            else if (glob[i] == '?') regex.Append("[^/]");
            else regex.Append(Regex.Escape(glob[i].ToString()));
        }
        return regex.ToString();
    }
}
