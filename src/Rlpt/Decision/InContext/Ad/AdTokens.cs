using static TorchSharp.torch;

namespace Rlpt.Decision.InContext.Ad;

/// <summary>
/// AD's input, one token per step: (o_t, one-hot a_{t−1}, r_{t−1}), so the output at step t predicts a_t from the
/// current observation and everything before it. AD^ε spends three tokens per step ((s, a, r) separately); one token
/// carries the same information at a third of the sequence length, which matters on a CPU. The previous action and
/// reward are zeros at a history's first step.
/// </summary>
public static class AdTokens
{
    public static int InputSize(int observationSize, int actionCount) => observationSize + actionCount + 1;

    /// <summary>Tokens [rows, length, input] and target actions [rows, length] of windows (history, first step).</summary>
    public static (Tensor Tokens, Tensor Targets) Build(LearningHistories data, IReadOnlyList<(int History, int Start)> windows, int length, Device device)
    {
        int o = data.Family.ObservationSize, a = data.Family.ActionCount, size = InputSize(o, a);
        var tokens = new float[windows.Count * length * size];
        var targets = new long[windows.Count * length];
        for (int r = 0; r < windows.Count; r++)
        {
            var (history, start) = windows[r];
            for (int j = 0; j < length; j++)
            {
                int t = history * data.Length + start + j;
                bool first = start + j == 0;
                Write(tokens.AsSpan((r * length + j) * size, size), data.Observations.AsSpan(t * o, o),
                    first ? -1 : data.Actions[t - 1], first ? 0f : data.Rewards[t - 1], a);
                targets[r * length + j] = data.Actions[t];
            }
        }
        return (tensor(tokens, [windows.Count, length, size], device: device), tensor(targets, [windows.Count, length], device: device));
    }

    /// <summary>One token; a previous action of −1 (none yet) leaves the one-hot empty.</summary>
    public static void Write(Span<float> token, ReadOnlySpan<float> observation, int previousAction, float previousReward, int actionCount)
    {
        token.Clear();
        observation.CopyTo(token);
        if (previousAction >= 0) token[observation.Length + previousAction] = 1f;
        token[observation.Length + actionCount] = previousReward;
    }
}
