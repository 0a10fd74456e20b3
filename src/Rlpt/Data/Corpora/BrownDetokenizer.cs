using System.Text;

namespace Rlpt.Data.Corpora;

/// <summary>
/// Turns a Brown Corpus file in word/TAG form back into readable running text.
/// </summary>
/// <remarks>
/// The corpus marks paragraphs as blocks of lines separated by blank lines, one sentence per line, so each block
/// becomes one paragraph with its sentences joined by single spaces, and paragraphs are separated by a blank line.
/// Headlines (lines whose every tag carries <c>-hl</c>) are glued to the following block in the source; they become
/// paragraphs of their own, except datelines ("Austin, Texas" followed by a line opening with <c>--</c>), which
/// start the paragraph they introduce.
/// </remarks>
public static class BrownDetokenizer
{
    private const string Dash = "\u2014";

    // The corpus keeps clitics inside their words ("don't/do*"); these are attached too in case a source splits them.
    private static readonly HashSet<string> Clitics = ["n't", "'s", "'re", "'ll", "'ve", "'d", "'m"];
    private static readonly HashSet<string> Closers = [",", ".", ";", ":", "?", "!", ")", "]", "%"];
    private static readonly HashSet<string> Openers = ["(", "["];

    // The source writes every sentence-level ';', '?' and '!' twice in a row ("June ;/. ;/."), so runs collapse to one.
    private static readonly HashSet<string> DoubledMarks = [";", "?", "!"];

    public static string Detokenize(string taggedFileContent)
    {
        ArgumentNullException.ThrowIfNull(taggedFileContent);
        var paragraphs = new List<string>();
        var words = new List<string>();
        var headlineOnly = false;

        void Flush()
        {
            if (words.Count > 0) paragraphs.Add(Join(words));
            words.Clear();
            headlineOnly = false;
        }

        foreach (var line in taggedFileContent.Split('\n'))
        {
            var tokens = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length == 0)
            {
                Flush();
                continue;
            }

            var isHeadline = tokens.All(t => Tag(t).EndsWith("-hl", StringComparison.Ordinal));
            if (isHeadline || (headlineOnly && Word(tokens[0]) != "--")) Flush();
            words.AddRange(tokens.Select(Word));
            headlineOnly = isHeadline;
        }
        Flush();
        return string.Join("\n\n", paragraphs);
    }

    // The tag follows the last '/', so words that contain '/' ("1/2/cd", "and/or/cc", "//in") keep it.
    private static string Word(string token)
    {
        var slash = token.LastIndexOf('/');
        return slash <= 0 ? token : token[..slash];
    }

    private static string Tag(string token)
    {
        var slash = token.LastIndexOf('/');
        return slash < 0 ? "" : token[(slash + 1)..];
    }

    private static string Join(List<string> words)
    {
        var text = new StringBuilder();
        var glueNext = true; // no space before the first word or after an opening quote, bracket or dash
        var singleQuoteOpen = false;
        string? previous = null;
        foreach (var word in words)
        {
            var repeated = word == previous;
            previous = word;
            if (repeated && DoubledMarks.Contains(word)) continue;

            string output;
            bool glueBefore, glueAfter = false;
            switch (word)
            {
                case "``":
                    (output, glueBefore, glueAfter) = ("\"", false, true);
                    break;
                case "''":
                    (output, glueBefore) = ("\"", true);
                    break;
                case "'":
                    // One mark serves as both opening and closing single quote; alternate within the paragraph.
                    singleQuoteOpen = !singleQuoteOpen;
                    (output, glueBefore, glueAfter) = ("'", !singleQuoteOpen, singleQuoteOpen);
                    break;
                case "--":
                    (output, glueBefore, glueAfter) = (Dash, true, true);
                    break;
                case "." when text.Length > 0 && text[^1] == '.':
                    continue; // an abbreviation ending a sentence ("Jr. .") keeps a single period
                default:
                    output = word;
                    glueBefore = Closers.Contains(word) || Clitics.Contains(word);
                    glueAfter = Openers.Contains(word);
                    break;
            }

            if (!glueBefore && !glueNext) text.Append(' ');
            text.Append(output);
            glueNext = glueAfter;
        }
        return text.ToString();
    }
}
