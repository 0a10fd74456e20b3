using static TorchSharp.torch;

namespace Rlpt.Training.Runs;

/// <summary>
/// The model a run trains, in its own folder format: the run loop saves it in every checkpoint, restores it on resume
/// and exports it as model/. Language models are Hugging Face folders (<see cref="LanguageModelFolder"/>); the
/// decision pillar's transformers have their own config and safetensors.
/// </summary>
public interface ITrainedModel
{
    nn.Module Module { get; }

    void Save(string directory);

    /// <summary>Loads the weights a <see cref="Save"/> wrote, refusing a folder that describes another model.</summary>
    void Load(string directory);
}
