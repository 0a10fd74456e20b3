using static TorchSharp.torch;

namespace Rlpt.Decision.Offline.Data;

/// <summary>
/// A minibatch of transitions as tensors: observations and next observations [B, obs], actions [B, act] (discrete:
/// the index as a float, and <see cref="ActionIndices"/> [B] as longs), rewards and continues [B] (0 at a terminal
/// state, where no bootstrap follows; 1 elsewhere, including a time-limit cut), and the rows' Monte Carlo
/// returns-to-go [B] when the algorithm asked for them (Cal-QL).
/// </summary>
public sealed record TransitionBatch(Tensor Observations, Tensor Actions, Tensor ActionIndices, Tensor Rewards, Tensor NextObservations, Tensor Continues, Tensor? ReturnsToGo = null)
{
    public long Size => Rewards.shape[0];

    /// <summary>Rows of a dataset (or a growing replay buffer) gathered onto a device.</summary>
    public static TransitionBatch Gather(ITransitionSource dataset, IReadOnlyList<int> rows, Device device, float[]? returnsToGo = null)
    {
        int b = rows.Count, o = dataset.ObservationSize, a = dataset.ActionSize;
        var observations = new float[b * o];
        var next = new float[b * o];
        var actions = new float[b * a];
        var rewards = new float[b];
        var continues = new float[b];
        for (int i = 0; i < b; i++)
        {
            int row = rows[i];
            dataset.Observation(row).CopyTo(observations.AsSpan(i * o, o));
            dataset.NextObservation(row).CopyTo(next.AsSpan(i * o, o));
            dataset.Action(row).CopyTo(actions.AsSpan(i * a, a));
            rewards[i] = dataset.Reward(row);
            continues[i] = dataset.Terminal(row) ? 0f : 1f;
        }
        var actionTensor = tensor(actions, [b, a], device: device);
        return new TransitionBatch(
            tensor(observations, [b, o], device: device),
            actionTensor,
            actionTensor.select(1, 0).to(ScalarType.Int64),
            tensor(rewards, device: device),
            tensor(next, [b, o], device: device),
            tensor(continues, device: device),
            returnsToGo is null ? null : tensor(rows.Select(row => returnsToGo[row]).ToArray(), device: device));
    }
}

/// <summary>Transitions addressable by row: a saved dataset or an online run's replay buffer.</summary>
public interface ITransitionSource
{
    int Count { get; }
    int ObservationSize { get; }
    int ActionSize { get; }
    ReadOnlySpan<float> Observation(int row);
    ReadOnlySpan<float> NextObservation(int row);
    ReadOnlySpan<float> Action(int row);
    float Reward(int row);
    bool Terminal(int row);
}
