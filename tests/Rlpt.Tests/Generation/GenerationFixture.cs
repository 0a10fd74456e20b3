using Rlpt.Modeling;
using Rlpt.Tokenization;
using Rlpt.Tests.Training;
using static TorchSharp.torch;

namespace Rlpt.Tests.Generation;

/// <summary>A tokenizer and a randomly initialised model of its vocabulary, shared by the generation tests.</summary>
public sealed class GenerationFixture : IDisposable
{
    public Tokenizer Tokenizer { get; } = Rlpt.Data.TextDatasetPreparation.TrainTokenizer(TinyCorpus.Documents(40), 300);
    public CausalLM Model { get; }

    public GenerationFixture()
    {
        Model = new CausalLM(new ModelConfig
        {
            ModelType = "qwen3", VocabSize = Tokenizer.VocabSize, HiddenSize = 48, IntermediateSize = 96, NumHiddenLayers = 2,
            NumAttentionHeads = 4, NumKeyValueHeads = 2, MaxPositionEmbeddings = 256,
        });
        Model.InitializeWeights(11);
        // Sharper logits than at initialisation, so greedy choices are well separated from ties.
        using (no_grad())
            foreach (var (name, p) in Model.named_parameters())
                if (name.EndsWith("embed_tokens.weight") || name.EndsWith("lm_head.weight")) p.mul_(20);
        Model.eval();
    }

    public IReadOnlyList<int> Encode(string text) => Tokenizer.Encode(text);

    public void Dispose() => Model.Dispose();
}
