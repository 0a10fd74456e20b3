using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Rlpt.Tokenization;

/// <summary>
/// Makes a pre-tokenizer regex match code points, as Hugging Face's (Oniguruma on UTF-8) does, instead of .NET's UTF-16
/// code units. .NET sees an astral-plane character (𝐀 U+1D400, 😀, 𠀀) as two surrogates of category Cs, so
/// <c>\p{L}</c> misses 𝐀 and <c>[^\s\p{L}\p{N}]</c> takes its halves apart. Each character class, and each class-like
/// escape outside one (<c>\p{..}</c>, <c>\P{..}</c>, <c>\S</c>, <c>\d</c>, <c>\w</c>, <c>.</c>, ...), becomes
/// <c>(?:[class-[\uD800-\uDFFF]]|pairs|lone)</c>: the class on BMP characters, the surrogate pairs of the astral code
/// points the class holds (from .NET's Unicode data, by general category), and a lone surrogate when the class holds
/// U+FFFD, which a lone surrogate becomes in UTF-8. Literal characters and ranges are BMP-only and stay as they are.
/// A pattern with constructs this does not model (class subtraction, surrogates written in the pattern, Unicode block
/// names) is returned unchanged. There is no package for this: .NET's regex engine has no code-point mode.
/// </summary>
public static class CodePointPattern
{
    private const int FirstAstral = 0x10000, LastCodePoint = 0x10FFFF;
    private const string BmpOnly = @"-[\uD800-\uDFFF]";
    private const string LoneSurrogate = @"[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]";
    private static readonly ConcurrentDictionary<uint, string> AstralPairs = new();

    private static readonly Dictionary<string, uint> Categories = BuildCategories();

    /// <summary>The general category of every astral code point, looked up once.</summary>
    private static readonly Lazy<byte[]> AstralCategories = new(() =>
    {
        var categories = new byte[LastCodePoint + 1 - FirstAstral];
        for (int cp = FirstAstral; cp <= LastCodePoint; cp++) categories[cp - FirstAstral] = (byte)CharUnicodeInfo.GetUnicodeCategory(cp);
        return categories;
    });

    /// <summary>The code-point-aware equivalent of a .NET pattern, or the pattern itself when it cannot be rewritten.</summary>
    public static string Rewrite(string pattern)
    {
        try
        {
            return new Rewriter(pattern).Run();
        }
        catch (NotSupportedException)
        {
            return pattern;
        }
    }

    private sealed class Rewriter(string pattern)
    {
        private readonly StringBuilder output = new(pattern.Length * 4);
        private int at;

        public string Run()
        {
            while (at < pattern.Length)
            {
                char c = pattern[at];
                if (char.IsSurrogate(c)) throw new NotSupportedException();
                if (c == '[') Class();
                else if (c == '.') { Emit(@"^\n", AllCategories); at++; } // no astral code point is a newline
                else if (c == '\\') Escape();
                else { output.Append(c); at++; }
            }
            return output.ToString();
        }

        /// <summary>An escape outside a class: class-like ones are rewritten, the rest copied.</summary>
        private void Escape()
        {
            int start = at;
            var mask = EscapeMask(out bool isClassLike);
            string text = pattern[start..at];
            if (isClassLike && mask != 0) Emit(text, mask);
            else output.Append(text); // \s and the like hold no astral code point
        }

        /// <summary>Reads the escape at <see cref="at"/>; for class-like escapes, the astral categories it matches.</summary>
        private uint EscapeMask(out bool isClassLike)
        {
            isClassLike = true;
            if (at + 1 >= pattern.Length) throw new NotSupportedException();
            char e = pattern[at + 1];
            at += 2;
            switch (e)
            {
                case 'p' or 'P':
                    int close = pattern.IndexOf('}', at);
                    if (at >= pattern.Length || pattern[at] != '{' || close < 0) throw new NotSupportedException();
                    string name = pattern[(at + 1)..close];
                    at = close + 1;
                    if (!Categories.TryGetValue(name, out uint categories)) throw new NotSupportedException(); // blocks (IsGreek) and the like
                    return e == 'p' ? categories : Complement(categories);
                case 's': return 0; // no astral code point is white space
                case 'S': return AllCategories;
                case 'd': return Category(UnicodeCategory.DecimalDigitNumber);
                case 'D': return Complement(Category(UnicodeCategory.DecimalDigitNumber));
                case 'w': return WordCategories;
                case 'W': return Complement(WordCategories);
                case 'u': at += 4; isClassLike = false; return 0;
                case 'x': at += 2; isClassLike = false; return 0;
                case 'c': at += 1; isClassLike = false; return 0;
                case 'k':
                    int end = pattern.IndexOfAny(['>', '\''], at);
                    at = end < 0 ? pattern.Length : end + 1;
                    isClassLike = false;
                    return 0;
                default: isClassLike = false; return 0;
            }
        }

        /// <summary>A character class: its BMP part kept, its astral categories added as surrogate pairs.</summary>
        private void Class()
        {
            int start = at++;
            bool negated = at < pattern.Length && pattern[at] == '^';
            if (negated) at++;
            uint mask = 0;
            bool first = true;
            while (true)
            {
                if (at >= pattern.Length) throw new NotSupportedException();
                char c = pattern[at];
                if (c == ']' && !first) break;
                if (char.IsSurrogate(c)) throw new NotSupportedException();
                if (c == '[' || (c == '-' && at + 1 < pattern.Length && pattern[at + 1] == '[')) throw new NotSupportedException(); // subtraction
                if (c == '\\') mask |= EscapeMask(out _);
                else at++;
                first = false;
            }
            string body = pattern[(start + 1)..at];
            at++;
            // A negated class holds every astral code point its escapes do not ([^a] matches 😀).
            Emit(body, negated ? Complement(mask) : mask);
        }

        /// <summary>Writes (?:[body-[surrogates]]|pairs|lone): the class on BMP characters, then its astral code points.</summary>
        private void Emit(string classBody, uint astral)
        {
            output.Append("(?:[").Append(classBody).Append(BmpOnly).Append(']');
            AppendAstral(astral);
            output.Append(')');
        }

        private void AppendAstral(uint categories)
        {
            string pairs = AstralPairs.GetOrAdd(categories, BuildPairs);
            if (pairs.Length > 0) output.Append('|').Append(pairs);
            if ((categories & Category(CharUnicodeInfo.GetUnicodeCategory('\uFFFD'))) != 0) output.Append('|').Append(LoneSurrogate);
        }
    }

    private static uint Category(UnicodeCategory category) => 1u << (int)category;

    private const uint AllCategories = (1u << 30) - 1;

    private static uint Complement(uint categories) => AllCategories & ~categories;

    /// <summary>.NET's \w: letters, non-spacing marks, decimal digits, connector punctuation.</summary>
    private static readonly uint WordCategories =
        Category(UnicodeCategory.UppercaseLetter) | Category(UnicodeCategory.LowercaseLetter) | Category(UnicodeCategory.TitlecaseLetter) |
        Category(UnicodeCategory.ModifierLetter) | Category(UnicodeCategory.OtherLetter) | Category(UnicodeCategory.NonSpacingMark) |
        Category(UnicodeCategory.DecimalDigitNumber) | Category(UnicodeCategory.ConnectorPunctuation);

    /// <summary>The regex of every surrogate pair whose code point has one of the categories; high surrogates with the same low ranges share a branch.</summary>
    private static string BuildPairs(uint categories)
    {
        var lowRanges = new Dictionary<int, List<(int From, int To)>>();
        int runStart = -1;
        var astralCategories = AstralCategories.Value;
        for (int cp = FirstAstral; cp <= LastCodePoint + 1; cp++)
        {
            bool inside = cp <= LastCodePoint && (categories & (1u << astralCategories[cp - FirstAstral])) != 0;
            bool endsHere = runStart >= 0 && (!inside || (cp & 0x3FF) == 0); // a run never crosses a high surrogate
            if (endsHere)
            {
                int high = 0xD800 + ((runStart - FirstAstral) >> 10);
                if (!lowRanges.TryGetValue(high, out var ranges)) lowRanges[high] = ranges = [];
                ranges.Add((0xDC00 + (runStart & 0x3FF), 0xDC00 + ((cp - 1) & 0x3FF)));
                runStart = -1;
            }
            if (inside && runStart < 0) runStart = cp;
        }
        var branches = new List<string>();
        var highs = lowRanges.Keys.Order().ToArray();
        for (int i = 0; i < highs.Length;)
        {
            string lows = LowClass(lowRanges[highs[i]]);
            int j = i + 1;
            while (j < highs.Length && highs[j] == highs[j - 1] + 1 && LowClass(lowRanges[highs[j]]) == lows) j++;
            string high = j - i == 1 ? Hex(highs[i]) : $"[{Hex(highs[i])}-{Hex(highs[j - 1])}]";
            branches.Add(high + lows);
            i = j;
        }
        return string.Join('|', branches);
    }

    private static string LowClass(List<(int From, int To)> ranges) =>
        "[" + string.Concat(ranges.Select(r => r.From == r.To ? Hex(r.From) : $"{Hex(r.From)}-{Hex(r.To)}")) + "]";

    private static string Hex(int unit) => $@"\u{unit:X4}";

    /// <summary>The general categories .NET's \p{..} names (one- and two-letter Unicode names) as category masks.</summary>
    private static Dictionary<string, uint> BuildCategories()
    {
        var names = new Dictionary<string, UnicodeCategory[]>
        {
            ["Lu"] = [UnicodeCategory.UppercaseLetter], ["Ll"] = [UnicodeCategory.LowercaseLetter], ["Lt"] = [UnicodeCategory.TitlecaseLetter],
            ["Lm"] = [UnicodeCategory.ModifierLetter], ["Lo"] = [UnicodeCategory.OtherLetter],
            ["Mn"] = [UnicodeCategory.NonSpacingMark], ["Mc"] = [UnicodeCategory.SpacingCombiningMark], ["Me"] = [UnicodeCategory.EnclosingMark],
            ["Nd"] = [UnicodeCategory.DecimalDigitNumber], ["Nl"] = [UnicodeCategory.LetterNumber], ["No"] = [UnicodeCategory.OtherNumber],
            ["Zs"] = [UnicodeCategory.SpaceSeparator], ["Zl"] = [UnicodeCategory.LineSeparator], ["Zp"] = [UnicodeCategory.ParagraphSeparator],
            ["Cc"] = [UnicodeCategory.Control], ["Cf"] = [UnicodeCategory.Format], ["Cs"] = [UnicodeCategory.Surrogate],
            ["Co"] = [UnicodeCategory.PrivateUse], ["Cn"] = [UnicodeCategory.OtherNotAssigned],
            ["Pc"] = [UnicodeCategory.ConnectorPunctuation], ["Pd"] = [UnicodeCategory.DashPunctuation], ["Ps"] = [UnicodeCategory.OpenPunctuation],
            ["Pe"] = [UnicodeCategory.ClosePunctuation], ["Pi"] = [UnicodeCategory.InitialQuotePunctuation], ["Pf"] = [UnicodeCategory.FinalQuotePunctuation],
            ["Po"] = [UnicodeCategory.OtherPunctuation],
            ["Sm"] = [UnicodeCategory.MathSymbol], ["Sc"] = [UnicodeCategory.CurrencySymbol], ["Sk"] = [UnicodeCategory.ModifierSymbol], ["So"] = [UnicodeCategory.OtherSymbol],
        };
        var result = names.ToDictionary(n => n.Key, n => n.Value.Aggregate(0u, (m, c) => m | Category(c)));
        foreach (var group in names.GroupBy(n => n.Key[..1]))
            result[group.Key] = group.Aggregate(0u, (m, n) => m | result[n.Key]);
        return result;
    }
}
