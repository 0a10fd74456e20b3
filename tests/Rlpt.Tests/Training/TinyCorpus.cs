using Rlpt.Data;
using Rlpt.Data.Store;
using Rlpt.Tokenization;

namespace Rlpt.Tests.Training;

/// <summary>A small, learnable synthetic corpus (templated sentences) tokenized into a dataset.</summary>
internal static class TinyCorpus
{
    public static IReadOnlyList<Document> Documents(int count = 120)
    {
        string[] names = ["Ada", "Ben", "Cleo", "Dan", "Eve", "Finn"];
        string[] verbs = ["reads", "writes", "draws", "sings", "counts"];
        string[] things = ["a book", "the map", "two songs", "ten numbers", "a letter"];
        var random = new Random(42);
        return Enumerable.Range(0, count).Select(i =>
        {
            var sentences = Enumerable.Range(0, 6).Select(_ =>
                $"{names[random.Next(names.Length)]} {verbs[random.Next(verbs.Length)]} {things[random.Next(things.Length)]}.");
            return new Document("synthetic", $"doc{i}", string.Join(' ', sentences));
        }).ToArray();
    }

    public static (TokenDataset Data, Tokenizer Tokenizer) Build(string directory)
    {
        var documents = Documents();
        var tokenizer = TextDatasetPreparation.TrainTokenizer(documents, 320);
        TokenDatasetBuilder.Build(documents, tokenizer, directory, new DatasetBuildOptions { HeldOutFraction = 0.1 });
        return (TokenDataset.Open(directory), tokenizer);
    }
}
