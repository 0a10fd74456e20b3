using Rlpt.Modeling;
using Rlpt.Tests.Objectives.Rlpt;

namespace Rlpt.Tests.Evaluation;

/// <summary>The RLPT test corpus and a randomly initialised tiny model of its tokenizer's vocabulary.</summary>
public sealed class EvaluationFixture : IDisposable
{
    public RlptTestCorpus Corpus { get; } = new();
    public CausalLM Model { get; }

    public EvaluationFixture()
    {
        Model = new CausalLM(new ModelConfig
        {
            ModelType = "qwen3", VocabSize = Corpus.Tokenizer.VocabSize, HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 1,
            NumAttentionHeads = 2, NumKeyValueHeads = 1, MaxPositionEmbeddings = 512,
        });
        Model.InitializeWeights(5);
        Model.eval();
    }

    public void Dispose()
    {
        Model.Dispose();
        Corpus.Dispose();
    }
}
