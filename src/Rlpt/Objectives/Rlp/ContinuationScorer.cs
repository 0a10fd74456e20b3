using Rlpt.Modeling;
using static TorchSharp.torch;

namespace Rlpt.Objectives.Rlp;

/// <summary>
/// Σ log p(target | prefix) of each (prefix, target) pair under a model, batched with right padding (causal attention
/// never looks at the padding after a row). No gradient: RLP's reward is a constant of the update.
/// </summary>
public static class ContinuationScorer
{
    public static double[] LogLikelihoods(CausalLM model, IReadOnlyList<(IReadOnlyList<int> Prefix, IReadOnlyList<int> Target)> rows, int padId, int batchSize = 16)
    {
        var device = model.parameters().First().device;
        var scores = new double[rows.Count];
        using var guard = no_grad();
        using var evalMode = new EvalMode(model);
        for (int start = 0; start < rows.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var chunk = rows.Skip(start).Take(batchSize).ToArray();
            int length = chunk.Max(r => r.Prefix.Count + r.Target.Count) - 1;
            var ids = new long[chunk.Length * length];
            var targets = new long[chunk.Length * length];
            var mask = new float[chunk.Length * length];
            Array.Fill(ids, padId);
            for (int r = 0; r < chunk.Length; r++)
            {
                var sequence = chunk[r].Prefix.Concat(chunk[r].Target).ToArray();
                for (int t = 0; t < sequence.Length - 1; t++) ids[r * length + t] = sequence[t];
                for (int j = 0; j < chunk[r].Target.Count; j++)
                {
                    int position = r * length + chunk[r].Prefix.Count - 1 + j;
                    targets[position] = chunk[r].Target[j];
                    mask[position] = 1;
                }
            }
            var logits = model.Forward(tensor(ids, [chunk.Length, length], device: device));
            var logProbs = logits.log_softmax(-1).gather(-1, tensor(targets, [chunk.Length, length], device: device).unsqueeze(-1)).squeeze(-1);
            var summed = (logProbs * tensor(mask, [chunk.Length, length], device: device)).sum(1).to_type(ScalarType.Float64).cpu().data<double>().ToArray();
            summed.CopyTo(scores, start);
        }
        return scores;
    }
}
