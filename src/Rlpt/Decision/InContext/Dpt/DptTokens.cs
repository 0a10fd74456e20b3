using static TorchSharp.torch;

namespace Rlpt.Decision.InContext.Dpt;

/// <summary>
/// DPT's input layout: token 0 is the query (s_q, zeros) and token j ≥ 1 the transition (s, one-hot a, s′, r), so the
/// output at position j predicts a* from the query and the first j transitions: one forward scores every prefix,
/// the empty one included (which is what an agent with no experience yet acts on).
/// </summary>
public static class DptTokens
{
    public static int InputSize(int observationSize, int actionCount) => 2 * observationSize + actionCount + 1;

    /// <summary>Tokens [rows, length + 1, input] for the given samples' first <paramref name="length"/> transitions.</summary>
    public static Tensor Build(TransitionContexts contexts, IReadOnlyList<int> samples, int length, Device device)
    {
        int o = contexts.Family.ObservationSize, a = contexts.Family.ActionCount, size = InputSize(o, a), n = contexts.ContextLength;
        var data = new float[samples.Count * (length + 1) * size];
        for (int r = 0; r < samples.Count; r++)
        {
            int sample = samples[r];
            int row = r * (length + 1) * size;
            Array.Copy(contexts.QueryObservations, sample * o, data, row, o);
            for (int j = 0; j < length; j++)
            {
                int at = sample * n + j;
                WriteTransition(data.AsSpan(row + (j + 1) * size, size), contexts.Observations.AsSpan(at * o, o), contexts.Actions[at],
                    contexts.NextObservations.AsSpan(at * o, o), contexts.Rewards[at], a);
            }
        }
        return tensor(data, [samples.Count, length + 1, size], device: device);
    }

    /// <summary>One transition token (s, one-hot a, s′, r) into a span of <see cref="InputSize"/> floats.</summary>
    public static void WriteTransition(Span<float> token, ReadOnlySpan<float> observation, int action, ReadOnlySpan<float> next, float reward, int actionCount)
    {
        int o = observation.Length;
        token.Clear();
        observation.CopyTo(token);
        token[o + action] = 1f;
        next.CopyTo(token[(o + actionCount)..]);
        token[2 * o + actionCount] = reward;
    }

    /// <summary>A query token (s_q, zeros).</summary>
    public static void WriteQuery(Span<float> token, ReadOnlySpan<float> observation)
    {
        token.Clear();
        observation.CopyTo(token);
    }
}
