namespace Rlpt.Data.Segmentation;

/// <summary>
/// Our English abbreviation lists and the closed list of words that commonly open a sentence, used to decide
/// whether a period after an abbreviation ends a sentence. Lookups are case-sensitive on purpose: "No." before a
/// number is an abbreviation, "no." is a word.
/// </summary>
internal static class Abbreviations
{
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> Prefixes = Lookup(
        "Mr", "Mrs", "Ms", "Mx", "Messrs", "Dr", "Prof", "Rev", "Hon", "Gen", "Col", "Capt", "Lt", "Sgt", "Cmdr", "Adm",
        "Gov", "Sen", "Rep", "Pres", "Supt", "Insp", "St", "Mt", "Ft", "Fr", "Mme", "Mlle",
        "MR", "MRS", "DR", "PROF",
        "vs", "Vs", "cf", "Cf", "viz", "approx", "Approx", "ca", "esp", "incl", "resp",
        "e.g", "E.g", "E.G", "i.e", "I.e", "I.E");

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> Terminals = Lookup(
        "etc", "Etc", "al", "Inc", "INC", "Ltd", "LTD", "Co", "CO", "Corp", "CORP", "Bros", "Jr", "Sr", "Esq",
        "Dept", "Univ", "Assn", "Ave", "Blvd", "Rd",
        "a.m", "p.m", "A.M", "P.M");

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> Continuations = Lookup(
        "No", "Nos", "Fig", "Figs", "Eq", "Eqs", "Vol", "Vols", "Ch", "Chap", "Sec", "Sect", "Art", "pp", "Ref", "Refs",
        "Ed", "Eds", "Op", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec");

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> SentenceStarters = Lookup(
        "The", "A", "An", "This", "That", "These", "Those", "There", "Here", "It", "Its", "He", "She", "His", "Her",
        "We", "They", "Their", "Our", "My", "Your", "You", "I", "One", "Some", "Many", "Most", "All", "Each", "Every",
        "Both", "Any", "Another", "Such", "No", "Not", "None", "Nothing",
        "But", "And", "Or", "So", "Yet", "However", "Then", "Thus", "Therefore", "Hence", "Also", "Still", "Instead",
        "Meanwhile", "Moreover", "Furthermore", "Nevertheless", "Indeed", "Later", "Now", "Today", "Finally", "First",
        "Next", "In", "On", "At", "By", "For", "From", "With", "Without", "After", "Before", "During", "Since",
        "Until", "As", "Under", "Despite", "If", "When", "While", "Although", "Though", "Because", "Unless", "Once",
        "Where", "What", "Why", "How", "Who", "Which", "Is", "Are", "Was", "Were", "Do", "Does", "Did", "Has",
        "Have", "Had", "Can", "Could", "Will", "Would", "Should", "Let", "Please", "Yes");

    /// <summary>The role of a period after <paramref name="word"/> (the word without the period or any quotes).</summary>
    public static PeriodRole Classify(ReadOnlySpan<char> word)
    {
        if (Prefixes.Contains(word)) return PeriodRole.Prefix;
        if (Terminals.Contains(word)) return PeriodRole.Terminal;
        if (Continuations.Contains(word)) return PeriodRole.Continuation;
        if (word.Length == 1 && char.IsLetter(word[0])) return PeriodRole.Continuation;
        return IsDottedAcronym(word) ? PeriodRole.Continuation : PeriodRole.Ordinary;
    }

    public static bool IsSentenceStarter(ReadOnlySpan<char> word) => SentenceStarters.Contains(word);

    // "U.S", "Ph.D", "U.S.A": letter groups of one or two joined by periods. Longer groups ("example.com",
    // "Node.js") are addresses or names, whose final period is ordinary.
    private static bool IsDottedAcronym(ReadOnlySpan<char> word)
    {
        var groups = 0;
        foreach (var range in word.Split('.'))
        {
            var group = word[range];
            if (group.Length is 0 or > 2) return false;
            foreach (var c in group)
                if (!char.IsLetter(c)) return false;
            groups++;
        }
        return groups >= 2;
    }

    private static HashSet<string>.AlternateLookup<ReadOnlySpan<char>> Lookup(params string[] words) =>
        new HashSet<string>(words, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
}
