using static TorchSharp.torch;

namespace Rlpt.Decision.InContext.Ad;

/// <summary>
/// What an AD model sees while it acts, for several agents in lockstep: each agent's latest steps as tokens
/// (o_t, a_{t−1}, r_{t−1}), at most one training window long (older steps fall out, across episode boundaries).
/// </summary>
public sealed class AdContext(int rows, int window, int inputSize, int actionCount)
{
    private readonly Queue<float[]>[] tokens = Enumerable.Range(0, rows).Select(_ => new Queue<float[]>()).ToArray();
    private readonly (int Action, float Reward)[] previous = Enumerable.Repeat((-1, 0f), rows).ToArray();

    /// <summary>Appends agent <paramref name="row"/>'s current observation with its previous action and reward.</summary>
    public void Observe(int row, ReadOnlySpan<float> observation)
    {
        var token = new float[inputSize];
        AdTokens.Write(token, observation, previous[row].Action, previous[row].Reward, actionCount);
        tokens[row].Enqueue(token);
        if (tokens[row].Count > window) tokens[row].Dequeue();
    }

    /// <summary>The action agent <paramref name="row"/> took and the reward it got, for its next token.</summary>
    public void Record(int row, int action, float reward) => previous[row] = (action, reward);

    /// <summary>Every agent's tokens [rows, length, input]; all agents have observed equally often.</summary>
    public Tensor Tokens(Device device)
    {
        int length = tokens[0].Count;
        var data = new float[rows * length * inputSize];
        for (int r = 0; r < rows; r++)
        {
            int j = 0;
            foreach (var token in tokens[r]) token.CopyTo(data, (r * length + j++) * inputSize);
        }
        return tensor(data, [rows, length, inputSize], device: device);
    }
}
