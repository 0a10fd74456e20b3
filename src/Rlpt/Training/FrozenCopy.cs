using Rlpt.Interop.HuggingFace;
using Rlpt.Modeling;
using TorchSharp;

namespace Rlpt.Training;

/// <summary>A gradient-free copy of a model on its device, in eval mode: a KL reference or the start of an EMA teacher.</summary>
public static class FrozenCopy
{
    public static CausalLM Of(CausalLM model)
    {
        var copy = new CausalLM(model.Config);
        ModelFolder.LoadWeights(copy, model.state_dict(), "policy");
        foreach (var p in copy.parameters()) p.requires_grad = false;
        copy.to(model.parameters().First().device);
        copy.eval();
        return copy;
    }
}
