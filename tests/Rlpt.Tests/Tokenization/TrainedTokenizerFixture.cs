using Rlpt.Tokenization;

namespace Rlpt.Tests.Tokenization;

/// <summary>One tokenizer trained on generated English, shared by the tests of a class.</summary>
public sealed class TrainedTokenizerFixture
{
    public TrainedTokenizerFixture()
    {
        Options = new BpeTrainerOptions { VocabSize = 1024 };
        Tokenizer = Tokenizer.Train(TokenizationTestData.EnglishDocuments(seed: 1, count: 1500), Options);
    }

    public BpeTrainerOptions Options { get; }

    public Tokenizer Tokenizer { get; }
}
