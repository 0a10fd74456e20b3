using Rlpt.Tokenization;

namespace Rlpt.Data;

/// <summary>Tokenizers for plain documents.</summary>
public static class TextDatasetPreparation
{
    /// <summary>A byte-level BPE tokenizer trained on the documents with Rlpt's special tokens.</summary>
    public static Tokenizer TrainTokenizer(IEnumerable<Document> documents, int vocabSize) =>
        Tokenizer.Train(documents.Select(d => d.Text), new BpeTrainerOptions { VocabSize = vocabSize });
}
