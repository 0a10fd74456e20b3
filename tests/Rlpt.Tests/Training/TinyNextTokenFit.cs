using Rlpt.Modeling;
using static TorchSharp.torch;

namespace Rlpt.Tests.Training;

/// <summary>
/// A few Adam steps of next-token training on ragged rows, right-padded (causal attention never looks at the padding
/// after a row, and padded targets are ignored): enough to give a tiny model a habit before a learning test.
/// </summary>
internal static class TinyNextTokenFit
{
    /// <param name="batch">The rows of step n.</param>
    public static void Fit(CausalLM model, Func<int, IReadOnlyList<IReadOnlyList<int>>> batch, int steps, double learningRate = 3e-3)
    {
        using var optimizer = optim.Adam(model.parameters(), learningRate);
        model.train();
        for (int step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            var rows = batch(step);
            int length = rows.Max(r => r.Count);
            var ids = new long[rows.Count * length];
            var targets = Enumerable.Repeat(-100L, rows.Count * length).ToArray();
            for (int r = 0; r < rows.Count; r++)
                for (int t = 0; t < rows[r].Count; t++)
                {
                    ids[r * length + t] = rows[r][t];
                    if (t + 1 < rows[r].Count) targets[r * length + t] = rows[r][t + 1];
                }
            var logits = model.Forward(tensor(ids, [rows.Count, length]));
            var loss = nn.functional.cross_entropy(logits.reshape(-1, logits.shape[^1]), tensor(targets), ignore_index: -100);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
        }
    }
}
