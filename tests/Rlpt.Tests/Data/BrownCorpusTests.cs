using System.Diagnostics;
using System.Text.RegularExpressions;
using Rlpt.Data.Corpora;
using Xunit.Abstractions;

namespace Rlpt.Tests.Data;

public sealed class BrownCorpusTests(ITestOutputHelper output)
{
    [Theory]
    // Quotes at the start and end of a sentence, possessive kept inside its word.
    [InlineData(
        "\t``/`` Only/rb a/at relative/jj handful/nn was/bedz received/vbn ''/'' ,/, the/at jury/nn said/vbd ./.",
        "\"Only a relative handful was received\", the jury said.")]
    [InlineData(
        "\tThe/at Fulton/np-tl County/nn-tl Grand/jj-tl Jury/nn-tl said/vbd Atlanta's/np$ election/nn produced/vbd ``/`` no/at evidence/nn ''/'' ./.",
        "The Fulton County Grand Jury said Atlanta's election produced \"no evidence\".")]
    // n't and 's stay in their words as the corpus writes them; split clitics are attached.
    [InlineData(
        "\tHe/pps didn't/dod* say/vb it's/pps+bez over/rb ./.",
        "He didn't say it's over.")]
    [InlineData(
        "\tHe/pps did/dod n't/* say/vb it/pps 's/bez over/rb ,/, they/ppss 're/ber sure/jj ./.",
        "He didn't say it's over, they're sure.")]
    // Abbreviation ending a sentence keeps one period; -tl suffixes do not leak.
    [InlineData(
        "\tIt/pps was/bedz won/vbn by/in Mayor-nominate/nn-tl Ivan/np Allen/np Jr./np ./.",
        "It was won by Mayor-nominate Ivan Allen Jr.")]
    // Parentheses, and a list marker with a colon.
    [InlineData(
        "\tReps./nns-tl V./np E./np (/( Red/np )/) Berry/np recommended/vbd that/cs :/: (/( 1/cd )/) four/cd deputies/nns be/be employed/vbn ./.",
        "Reps. V. E. (Red) Berry recommended that: (1) four deputies be employed.")]
    // Dashes become em dashes without spaces.
    [InlineData(
        "\tThe/at bill/nn --/-- which/wdt he/pps drafted/vbd --/-- passed/vbd ./.",
        "The bill\u2014which he drafted\u2014passed.")]
    // Numbers with '/' and ',' keep them; the tag is after the last '/'.
    [InlineData(
        "\tAdd/vb 1-1/2/cd cups/nns and/or/cc 1/4''/nn of/in 1,119/cd grains/nns //in hour/nn ./.",
        "Add 1-1/2 cups and/or 1/4'' of 1,119 grains / hour.")]
    // A headline is its own paragraph even though the source glues it to the next block.
    [InlineData(
        "\n\n\tThe/at jury/nn met/vbd ./.\n\n\nMerger/nn-hl proposed/vbn-hl \nHowever/wrb ,/, the/at jury/nn said/vbd so/rb ./.\nIt/pps urged/vbd action/nn ./.\n",
        "The jury met.\n\nMerger proposed\n\nHowever, the jury said so. It urged action.")]
    // A dateline (headline tags, next line opening with a dash) starts the paragraph it introduces.
    [InlineData(
        "Austin/np-hl ,/,-hl Texas/np-hl \n--/-- Committee/nn approval/nn came/vbd ./.\n\n\n\tDaniel/np led/vbd ./.",
        "Austin, Texas\u2014Committee approval came.\n\nDaniel led.")]
    // The source doubles sentence-level ';', '?' and '!'; -nc and fw- tags do not leak.
    [InlineData(
        "\t``/`` Why/wrb-nc ?/.-nc ?/.-nc ''/'' he/pps asked/vbd ;/. ;/.\n;/. ;/.\n``/`` ad/fw-in hoc/fw-nn !/. !/. ''/''",
        "\"Why?\" he asked; \"ad hoc!\"")]
    // Single quotes alternate between opening and closing inside a paragraph.
    [InlineData(
        "\tMore/ap '/' pro/jj '/' letters/nns than/in '/' con/jj '/' ,/, he/pps said/vbd :/: ``/`` It's/pps+bez '/' See/vb Jim/np '/' ''/'' ./.",
        "More 'pro' letters than 'con', he said: \"It's 'See Jim'\".")]
    // Brackets and percent signs attach like parentheses and punctuation.
    [InlineData(
        "\tYields/nns rose/vbd 4/cd %/nn [/( see/vb Table/nn-tl 2/cd-tl ]/) ./.",
        "Yields rose 4% [see Table 2].")]
    // Sentences of one block form one paragraph; blocks are separated by a blank line.
    [InlineData(
        "\n\n\tFirst/od sentence/nn ./.\nSecond/od one/cd ./.\n\n\n\tNew/jj paragraph/nn ./.\n\n",
        "First sentence. Second one.\n\nNew paragraph.")]
    public void Detokenize_MatchesGolden(string tagged, string expected) =>
        Assert.Equal(expected, BrownDetokenizer.Detokenize(tagged));

    [Fact]
    public void EnsureDownloaded_ThenRead_GivesTheWholeCorpusAsCleanText()
    {
        var cache = Directory.CreateTempSubdirectory("rlpt-brown-");
        try
        {
            var watch = Stopwatch.StartNew();
            var folder = BrownCorpus.EnsureDownloaded(cache.FullName);
            var fetched = watch.Elapsed;
            Assert.Equal(folder, BrownCorpus.EnsureDownloaded(cache.FullName)); // cached: no second fetch
            Assert.Equal([Path.GetFileName(folder)], cache.GetFileSystemInfos().Select(i => i.Name));

            watch.Restart();
            var documents = BrownCorpus.Read(folder).ToList();
            var read = watch.Elapsed;
            var bytes = documents.Sum(d => (long)System.Text.Encoding.UTF8.GetByteCount(d.Text));
            output.WriteLine($"fetched in {fetched.TotalSeconds:0.0} s, read {documents.Count} documents ({bytes / 1e6:0.00} MB) in {read.TotalSeconds:0.00} s");

            Assert.Equal(500, documents.Count);
            Assert.Equal(15, documents.Select(d => d.Source).Distinct().Count());
            Assert.Equal("ca01", documents[0].Name);
            Assert.Equal("brown/press-reportage", documents[0].Source);
            Assert.Equal("brown/humor", documents[^1].Source);
            Assert.InRange(bytes, 5_000_000, 7_000_000);
            Assert.StartsWith(
                "The Fulton County Grand Jury said Friday an investigation of Atlanta's recent primary election produced \"no evidence\" that any irregularities took place.",
                documents[0].Text);

            var residue = TagResidue(folder);
            Assert.Matches(residue, File.ReadAllText(Path.Combine(folder, "ca01"))); // the check itself sees raw tags
            foreach (var document in documents)
            {
                var match = residue.Match(document.Text);
                Assert.False(match.Success, $"{document.Name}: tag residue '{match.Value}'");
            }
        }
        finally
        {
            cache.Delete(recursive: true);
        }
    }

    [Fact]
    public void DefaultCacheDirectory_EndsInRlpt_OrHonoursRlptCache()
    {
        var explicitCache = Environment.GetEnvironmentVariable("RLPT_CACHE");
        var expected = string.IsNullOrEmpty(explicitCache) ? "rlpt" : Path.GetFileName(explicitCache.TrimEnd('/'));
        Assert.Equal(expected, Path.GetFileName(BrownCorpus.DefaultCacheDirectory.TrimEnd('/')));
    }

    // Words may legitimately hold '/' ("and/or", "mg/l", "material/hr./*0F./in."), so residue is "/" followed by one
    // of the corpus' own tags and then a word boundary the detokeniser would produce: space, punctuation or the end;
    // punctuation tags leak as a mark, a slash and a mark (",/,").
    private static Regex TagResidue(string folder)
    {
        var tags = Directory.EnumerateFiles(folder, "c*")
            .Where(p => Regex.IsMatch(Path.GetFileName(p), "^c[a-r][0-9]{2}$"))
            .SelectMany(p => File.ReadAllText(p).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            .Select(t => t[(t.LastIndexOf('/') + 1)..])
            .Where(t => t.Any(char.IsLetter))
            .ToHashSet();
        var alternatives = string.Join('|', tags.OrderByDescending(t => t.Length).Select(Regex.Escape));
        return new Regex($@"/(?:{alternatives})(?=[\s,;:?!"")\]]|$)|(?:[.,;:?!()]|``|'')/(?:[.,:()]|``|'')");
    }
}
