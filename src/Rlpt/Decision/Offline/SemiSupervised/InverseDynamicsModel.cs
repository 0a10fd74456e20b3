using Rlpt.Decision.Offline.Data;
using Rlpt.Decision.Offline.Networks;
using Rlpt.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Rlpt.Decision.Offline.SemiSupervised;

/// <summary>
/// SS-ORL's inverse dynamics model (Zheng et al. 2023): predicts a_t from the states around it, (s_(t−1), s_t, s_(t+1)),
/// with s_(t−1) = s_t at an episode's first step. Discrete actions: cross-entropy over the actions, labelled by argmax;
/// continuous: mean squared error on actions mapped to [−1, 1], labelled by the prediction, clipped to the box.
/// </summary>
public sealed class InverseDynamicsModel : nn.Module
{
    private readonly bool discrete;
    private readonly ActionScale scale;
    private readonly ObservationScaler scaler;
    private readonly Mlp net;

    public InverseDynamicsModel(int observationSize, Environments.Control.ActionSpace actions, int hidden = 256, int depth = 2) : base(nameof(InverseDynamicsModel))
    {
        discrete = actions.Discrete;
        scale = new ActionScale(actions.Low, actions.High, actions.Size);
        scaler = new ObservationScaler(observationSize);
        net = new Mlp(3 * observationSize, discrete ? actions.Count : actions.Size, hidden, depth);
        RegisterComponents();
    }

    /// <summary>Each row's previous row within its episode (itself at an episode's first step), computed once per dataset.</summary>
    private static int[] PreviousRows(EpisodeDataset dataset)
    {
        var previous = Enumerable.Range(-1, dataset.Count).ToArray();
        foreach (var (start, _) in dataset.Episodes) previous[start] = start;
        return previous;
    }

    /// <summary>The model input of each row: the previous, current and next observations side by side.</summary>
    private static float[] Windows(EpisodeDataset dataset, int[] previous, IReadOnlyList<int> rows)
    {
        int o = dataset.ObservationSize;
        var windows = new float[rows.Count * 3 * o];
        for (int i = 0; i < rows.Count; i++)
        {
            int row = rows[i];
            var span = windows.AsSpan(i * 3 * o, 3 * o);
            dataset.Observation(previous[row]).CopyTo(span[..o]);
            dataset.Observation(row).CopyTo(span.Slice(o, o));
            dataset.NextObservation(row).CopyTo(span.Slice(2 * o, o));
        }
        return windows;
    }

    /// <summary>Trains on the labelled rows (seeded minibatches) and returns the final training loss.</summary>
    public double Fit(EpisodeDataset dataset, IReadOnlyList<int> labelled, int steps, int batchSize, double learningRate, int seed)
    {
        scaler.Fit(dataset.Observations, dataset.ObservationSize);
        using var optimizer = new AdamW(net.named_parameters(), beta2: 0.999, weightDecay: 0);
        var random = new Random(seed);
        var previous = PreviousRows(dataset);
        double loss = double.NaN;
        for (int step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            var rows = Enumerable.Range(0, batchSize).Select(_ => labelled[random.Next(labelled.Count)]).ToArray();
            var output = Forward(dataset, previous, rows);
            var actions = tensor(rows.SelectMany(r => dataset.Action(r).ToArray()).ToArray(), [rows.Length, dataset.ActionSize]);
            var batchLoss = discrete
                ? nn.functional.cross_entropy(output, actions.select(1, 0).to(ScalarType.Int64))
                : nn.functional.mse_loss(output, scale.ToUnit(actions));
            batchLoss.backward();
            optimizer.StepWith(learningRate);
            optimizer.ZeroGrad();
            loss = batchLoss.item<float>();
        }
        return loss;
    }

    /// <summary>Predicted actions [rows × action_size] as the dataset stores them.</summary>
    public float[] Label(EpisodeDataset dataset, IReadOnlyList<int> rows)
    {
        using var scope = NewDisposeScope();
        using var guard = no_grad();
        var output = Forward(dataset, PreviousRows(dataset), rows);
        using Scalar one = 1.0, minusOne = -1.0;
        var actions = discrete ? output.argmax(1).unsqueeze(1).to(ScalarType.Float32) : scale.ToBox(output.clamp(minusOne, one));
        return actions.data<float>().ToArray();
    }

    private Tensor Forward(EpisodeDataset dataset, int[] previous, IReadOnlyList<int> rows)
    {
        int o = dataset.ObservationSize;
        var windows = tensor(Windows(dataset, previous, rows), [rows.Count, 3, o]);
        return net.forward(scaler.forward(windows).reshape(rows.Count, 3 * o));
    }
}
