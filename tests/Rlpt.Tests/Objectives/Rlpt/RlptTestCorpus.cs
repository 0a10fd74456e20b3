using Rlpt.Data;
using Rlpt.Data.Segmentation;
using Rlpt.Data.Store;
using Rlpt.Tokenization;

namespace Rlpt.Tests.Objectives.Rlpt;

/// <summary>
/// A small sentence-segmented dataset of documents whose sentences are known, all distinct, so a task's prompt and
/// references can be checked against the exact sentences. Source "lake" has 3 times the weight of "hill".
/// </summary>
public sealed class RlptTestCorpus : IDisposable
{
    private static readonly string[] Subjects = ["old ferryman", "village baker", "young surveyor", "lighthouse keeper", "quiet librarian", "travelling tinker", "harbour pilot"];
    private static readonly string[] Actions = ["mended the nets", "counted the barrels", "read the letters aloud", "painted the shutters", "walked along the shore", "sorted the seeds"];

    private readonly TestDirectory directory = new();

    public IReadOnlyList<string[]> Sentences { get; }
    public Tokenizer Tokenizer { get; }
    public TokenDataset Data { get; }
    public DatasetSplit Train => Data.Train;

    public RlptTestCorpus()
    {
        var documents = new List<Document>();
        var sentences = new List<string[]>();
        for (int d = 0; d < 24; d++)
        {
            var text = Enumerable.Range(0, 5 + d % 4).Select(k =>
                $"On day {d + 1} the {Subjects[(d + k) % Subjects.Length]} {Actions[(2 * d + k) % Actions.Length]} for {k + 2} hours" +
                (k % 3 == 0 ? " while the wind kept blowing across the fields." : ".")).ToArray();
            sentences.Add(text);
            documents.Add(new Document(d % 2 == 0 ? "lake" : "hill", $"doc{d}", string.Join(" ", text)));
        }
        Sentences = sentences;
        Tokenizer = TextDatasetPreparation.TrainTokenizer(documents, 600);
        TokenDatasetBuilder.Build(documents, Tokenizer, directory.File("ds"), new DatasetBuildOptions
        {
            HeldOutFraction = 0.2, SegmentationName = "sentence",
            Segmenter = text => Segmenter.Split(text).Select(s => (s.Start, s.End)).ToArray(),
            SourceWeights = new Dictionary<string, double> { ["lake"] = 3.0 },
        });
        Data = TokenDataset.Open(directory.File("ds"));
    }

    /// <summary>The known sentences of a split's document, found by its decoded text.</summary>
    public string[] SentencesOf(DatasetSplit split, long document)
    {
        var entry = split.Documents[document];
        var text = Tokenizer.Decode(split.ReadTokens(entry.TokenStart, entry.TokenCount));
        return Sentences.Single(s => string.Join(" ", s) == text);
    }

    public void Dispose()
    {
        Data.Dispose();
        directory.Dispose();
    }
}
