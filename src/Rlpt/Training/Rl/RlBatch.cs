using static TorchSharp.torch;

namespace Rlpt.Training.Rl;

/// <summary>
/// Prompt + completion sequences, right-padded, in next-token coordinates: position t of <see cref="Targets"/>,
/// <see cref="OldLogProbs"/> and <see cref="Mask"/> is the token at t + 1 of <see cref="InputIds"/>, so a
/// completion token j of a prompt of length p sits at p − 1 + j. A row's sequence-level advantage is repeated over its
/// completion tokens, so <see cref="Advantages"/> is token-level like the rest.
/// </summary>
internal sealed record RlBatch(Tensor InputIds, Tensor Targets, Tensor OldLogProbs, Tensor Mask, Tensor Advantages)
{
    public static RlBatch Build(IReadOnlyList<(IReadOnlyList<int> Prompt, IReadOnlyList<int> Completion, IReadOnlyList<float> LogProbs, float Mask, float Advantage)> rows, int padId, Device device)
    {
        int length = rows.Max(r => r.Prompt.Count + r.Completion.Count);
        var ids = new long[rows.Count * length];
        Array.Fill(ids, padId);
        var old = new float[rows.Count * (length - 1)];
        var mask = new float[rows.Count * (length - 1)];
        var advantages = new float[rows.Count * (length - 1)];
        for (int r = 0; r < rows.Count; r++)
        {
            var (prompt, completion, logProbs, rowMask, advantage) = rows[r];
            for (int t = 0; t < prompt.Count; t++) ids[r * length + t] = prompt[t];
            for (int j = 0; j < completion.Count; j++)
            {
                ids[r * length + prompt.Count + j] = completion[j];
                int position = r * (length - 1) + prompt.Count - 1 + j;
                old[position] = logProbs[j];
                mask[position] = rowMask;
                advantages[position] = advantage;
            }
        }
        var input = tensor(ids, [rows.Count, length], device: device);
        return new RlBatch(
            input,
            input.narrow(1, 1, length - 1),
            tensor(old, [rows.Count, length - 1], device: device),
            tensor(mask, [rows.Count, length - 1], device: device),
            tensor(advantages, [rows.Count, length - 1], device: device));
    }

    /// <summary>log π(target) under the temperature-scaled distribution, as the sampler scored it: [batch, length − 1].</summary>
    public static Tensor TokenLogProbs(Tensor logits, Tensor targets, double temperature)
    {
        using var scope = NewDisposeScope();
        var scaled = logits.narrow(1, 0, logits.shape[1] - 1) / temperature;
        return scaled.log_softmax(-1).gather(-1, targets.unsqueeze(-1)).squeeze(-1).MoveToOuterDisposeScope();
    }
}
