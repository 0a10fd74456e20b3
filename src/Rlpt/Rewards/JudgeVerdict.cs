using System.Text.RegularExpressions;

namespace Rlpt.Rewards;

/// <summary>
/// Strict reading of a judge reply: it must contain exactly one "Score: 0" or "Score: 1" ("score" in any case, white
/// space and markdown bold such as "**Score:** 1" tolerated). No verdict, two verdicts, or a longer number
/// ("Score: 10", "Score: 1.5") make the reply garbled (null).
/// </summary>
public static partial class JudgeVerdict
{
    [GeneratedRegex(@"\bscore\s*\**\s*:\s*\**\s*(?<value>[0-9][0-9.]*)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ScorePattern();

    public static int? Parse(string? reply)
    {
        if (reply is null) return null;
        var matches = ScorePattern().Matches(reply);
        if (matches.Count != 1) return null;
        return matches[0].Groups["value"].Value.TrimEnd('.') switch
        {
            "0" => 0,
            "1" => 1,
            _ => null,
        };
    }
}
