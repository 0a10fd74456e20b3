using TorchSharp;
using static TorchSharp.torch;

namespace Rlpt.Decision.Offline.Networks;

/// <summary>
/// Standardises observations with the training dataset's per-dimension mean and standard deviation (d3rlpy's
/// StandardObservationScaler), held as buffers so a saved policy carries them. Mountain Car's velocity is ~100× smaller
/// than its position; unscaled, a value network barely sees it.
/// </summary>
public sealed class ObservationScaler : nn.Module<Tensor, Tensor>
{
    private readonly Tensor mean;
    private readonly Tensor std;

    public ObservationScaler(int size) : base(nameof(ObservationScaler))
    {
        mean = zeros(size);
        std = ones(size);
        register_buffer("mean", mean);
        register_buffer("std", std);
    }

    /// <summary>Fits the statistics to observations [rows × size] (standard deviations floored at 1e-3 so constant dimensions stay finite).</summary>
    public void Fit(float[] observations, int size)
    {
        var (means, stds) = Statistics(observations, size);
        Set(means, stds);
    }

    /// <summary>
    /// Maps a task's finite observation bounds to [−1, 1] and fits the unbounded dimensions to the observations: an
    /// online run fits before it has seen much of the state space (Mountain Car's early data spans a sliver of its
    /// velocity range), so known bounds are the better scale there.
    /// </summary>
    public void FitWithBounds(float[] observations, int size, float[] low, float[] high)
    {
        var (means, stds) = Statistics(observations, size);
        for (int j = 0; j < size; j++)
            if (float.IsFinite(low[j]) && float.IsFinite(high[j]))
                (means[j], stds[j]) = ((low[j] + high[j]) / 2, (high[j] - low[j]) / 2);
        Set(means, stds);
    }

    private static (float[] Means, float[] Stds) Statistics(float[] observations, int size)
    {
        int rows = observations.Length / size;
        var sum = new double[size];
        var squares = new double[size];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < size; j++)
            {
                double v = observations[i * size + j];
                sum[j] += v;
                squares[j] += v * v;
            }
        var means = sum.Select(s => (float)(s / rows)).ToArray();
        var stds = Enumerable.Range(0, size).Select(j => (float)Math.Max(Math.Sqrt(Math.Max(squares[j] / rows - (double)means[j] * means[j], 0)), 1e-3)).ToArray();
        return (means, stds);
    }

    private void Set(float[] means, float[] stds)
    {
        using var guard = no_grad();
        mean.copy_(tensor(means));
        std.copy_(tensor(stds));
    }

    public override Tensor forward(Tensor observations) => (observations - mean) / std;
}
