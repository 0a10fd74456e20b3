using Rlpt.Cli.Interop.LlamaCpp;
using Rlpt.Interop.Gguf;
using Rlpt.Modeling;
using Rlpt.Tests.Modeling;
using Rlpt.Tests.Tokenization;
using Rlpt.Tokenization;
using static TorchSharp.torch;

namespace Rlpt.Tests.Interop.Gguf;

/// <summary>
/// A tokenizer trained on English-like text and one small model per architecture, exported to GGUF (F32 and F16)
/// and loaded in llama.cpp once per test class. Weights are drawn with a large standard deviation so the logits
/// spread over several units and greedy decoding has clear winners instead of near-ties.
/// </summary>
public sealed class GgufModelsFixture : IDisposable
{
    private readonly TestDirectory _directory = new();
    private readonly Dictionary<string, CausalLM> _models = [];
    private readonly Dictionary<(string, GgufTensorType), LlamaCppModel> _llamaCpp = [];

    public GgufModelsFixture() =>
        Tokenizer = Tokenizer.Train(TokenizationTestData.EnglishDocuments(seed: 5, count: 600), new BpeTrainerOptions { VocabSize = 600 });

    public Tokenizer Tokenizer { get; }

    /// <summary>llama: GQA, untied, Llama 3 rope scaling; qwen2: biases, tied, rope base 1e6; qwen3: QK-norm, head_dim 32 ≠ 64/4.</summary>
    public ModelConfig Config(string architecture) => new()
    {
        ModelType = architecture,
        VocabSize = Tokenizer.VocabSize,
        HiddenSize = 64,
        IntermediateSize = 128,
        NumHiddenLayers = 2,
        NumAttentionHeads = 4,
        NumKeyValueHeads = 2,
        HeadDimOverride = architecture == "qwen3" ? 32 : null,
        MaxPositionEmbeddings = 256,
        RmsNormEps = architecture == "llama" ? 1e-5 : 1e-6,
        RopeTheta = architecture == "qwen2" ? 1e6 : 1e4,
        RopeScaling = architecture == "llama" ? new RopeScaling { RopeType = "llama3", Factor = 8, LowFreqFactor = 1, HighFreqFactor = 4, OriginalMaxPositionEmbeddings = 64 } : null,
        TieWordEmbeddings = architecture == "qwen2",
        InitializerRange = 0.25,
    };

    public CausalLM Model(string architecture)
    {
        if (!_models.TryGetValue(architecture, out var model))
            _models[architecture] = model = TinyModels.Create(Config(architecture), seed: 11);
        return model;
    }

    /// <summary>
    /// The model as an F16 export stores it: matrices rounded to F16, vectors kept in F32. Comparing llama.cpp's F16
    /// run against it leaves only llama.cpp's own F16 arithmetic as the difference, not the rounding of the weights.
    /// </summary>
    public CausalLM RoundedModel(string architecture)
    {
        var key = architecture + "-f16";
        if (_models.TryGetValue(key, out var rounded)) return rounded;
        rounded = new CausalLM(Config(architecture));
        var pairs = Model(architecture).parameters().Zip(rounded.parameters()).ToArray();
        using (no_grad())
        using (var scope = NewDisposeScope())
            foreach (var (source, target) in pairs)
                target.copy_(source.dim() == 1 ? source : source.to(ScalarType.Float16).to(ScalarType.Float32));
        rounded.eval();
        return _models[key] = rounded;
    }

    public string GgufPath(string architecture, GgufTensorType type)
    {
        var path = _directory.File($"{architecture}-{type}.gguf");
        if (!File.Exists(path)) GgufExporter.Export(Model(architecture), Tokenizer, path, type, $"rlpt-test-{architecture}");
        return path;
    }

    public LlamaCppModel LlamaCpp(string architecture, GgufTensorType type)
    {
        if (!_llamaCpp.TryGetValue((architecture, type), out var model))
            _llamaCpp[(architecture, type)] = model = new LlamaCppModel(GgufPath(architecture, type), threads: 2);
        return model;
    }

    public void Dispose()
    {
        foreach (var model in _llamaCpp.Values) model.Dispose();
        foreach (var model in _models.Values) model.Dispose();
        _directory.Dispose();
    }
}
