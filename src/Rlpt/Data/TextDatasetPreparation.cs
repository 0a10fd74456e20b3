using Rlpt.Tokenization;

namespace Rlpt.Data;

/// <summary>Defaults for turning plain documents into a token dataset.</summary>
public static class TextDatasetPreparation
{
    /// <summary>Held-out share of documents (by text hash) when the caller does not choose one.</summary>
    public const double DefaultHeldOutFraction = 0.05;

    /// <summary>A byte-level BPE tokenizer trained on the documents with Rlpt's special tokens.</summary>
    public static Tokenizer TrainTokenizer(IEnumerable<Document> documents, int vocabSize) =>
        Tokenizer.Train(documents.Select(d => d.Text), new BpeTrainerOptions { VocabSize = vocabSize });
}
