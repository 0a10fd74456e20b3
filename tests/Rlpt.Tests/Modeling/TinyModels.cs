using Rlpt.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace Rlpt.Tests.Modeling;

/// <summary>Tiny configurations of each supported architecture, small enough for exact checks in milliseconds.</summary>
internal static class TinyModels
{
    public static ModelConfig Config(string modelType, bool tied = false) => new()
    {
        ModelType = modelType,
        VocabSize = 61,
        HiddenSize = 32,
        IntermediateSize = 48,
        NumHiddenLayers = 2,
        NumAttentionHeads = 4,
        NumKeyValueHeads = 2,
        HeadDimOverride = modelType == "qwen3" ? 16 : null,
        MaxPositionEmbeddings = 128,
        RopeTheta = 10000,
        TieWordEmbeddings = tied,
    };

    public static CausalLM Create(string modelType, bool tied = false, ScalarType dtype = ScalarType.Float32, long seed = 7) =>
        Create(Config(modelType, tied), dtype, seed);

    public static CausalLM Create(ModelConfig config, ScalarType dtype = ScalarType.Float32, long seed = 7)
    {
        var model = new CausalLM(config);
        model.InitializeWeights(seed);
        // Biases start at zero; give them values so a test would notice one being ignored (seeded, so a model is
        // the same in every run).
        using (no_grad())
        using (var generator = new Generator((ulong)seed + 1))
            foreach (var (name, p) in model.named_parameters())
                if (name.EndsWith(".bias") || name.EndsWith("norm.weight"))
                    p.add_(rand(p.shape, generator: generator) * 0.2);
        model.to(dtype);
        model.eval();
        return model;
    }

    public static Tensor RandomTokens(long batch, long length, long seed = 3)
    {
        using var generator = new Generator((ulong)seed);
        return randint(0, 61, [batch, length], generator: generator);
    }
}
