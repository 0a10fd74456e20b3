using Rlpt.Interop.HuggingFace;
using Rlpt.Modeling;
using Rlpt.Tokenization;
using static TorchSharp.torch;

namespace Rlpt.Training.Runs;

/// <summary>A causal LM and its tokenizer as a Hugging Face model folder (config.json, safetensors, tokenizer.json).</summary>
public sealed class LanguageModelFolder(CausalLM model, Tokenizer tokenizer) : ITrainedModel
{
    public nn.Module Module => model;

    public void Save(string directory) => ModelFolder.Save(directory, model, tokenizer);

    public void Load(string directory)
    {
        var config = ModelConfig.Load(Path.Combine(directory, ModelFolder.ConfigFile));
        if (Comparable(config) != Comparable(model.Config))
            throw new InvalidDataException($"{directory}: its config.json describes a different model than this run's.");
        using var scope = NewDisposeScope();
        ModelFolder.LoadWeights(model, SafeTensors.LoadFolder(directory, ScalarType.Float32), directory);
    }

    private static ModelConfig Comparable(ModelConfig config) => config with { Architectures = null, EosTokenIdRaw = null, NumKeyValueHeads = config.KeyValueHeads };
}
