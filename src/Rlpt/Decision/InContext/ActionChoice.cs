using Rlpt.Decision.Environments;
using Rlpt.Decision.Models;
using Rlpt.Modeling;
using static TorchSharp.torch;

namespace Rlpt.Decision.InContext;

/// <summary>How an in-context model (DPT or AD) turns its last position's logits into actions: greedy (argmax) or sampled from the softmax.</summary>
public static class ActionChoice
{
    /// <summary>Action probabilities [rows][actions] at the last position of each row's tokens (after the cached ones, if any).</summary>
    public static double[][] Probabilities(TransitionTransformer model, Tensor tokens, IKeyValueCache? cache = null)
    {
        using var scope = NewDisposeScope();
        using var guard = no_grad();
        var logits = model.Forward(tokens, cache);
        var last = logits.select(1, logits.shape[1] - 1).softmax(-1).to(ScalarType.Float64).cpu();
        var flat = last.data<double>().ToArray();
        int actions = (int)last.shape[1];
        return Enumerable.Range(0, (int)last.shape[0]).Select(r => flat.AsSpan(r * actions, actions).ToArray()).ToArray();
    }

    public static int Choose(double[] probabilities, bool greedy, Random random) =>
        greedy ? Array.IndexOf(probabilities, probabilities.Max()) : random.NextCategorical(probabilities);
}
