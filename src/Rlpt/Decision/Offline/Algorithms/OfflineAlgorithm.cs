using Rlpt.Decision.Offline.Models;
using Rlpt.Decision.Offline.Networks;
using Rlpt.Decision.Offline.Training;
using Rlpt.Training;
using TorchSharp;
using static TorchSharp.torch;
using Parameter = TorchSharp.Modules.Parameter;

namespace Rlpt.Decision.Offline.Algorithms;

/// <summary>
/// What every algorithm shares: the module is the algorithm itself (so its state dict holds every network), an
/// observation scaler, named Adam optimizers (β₂ 0.999, no weight decay, at the config's learning rate) and the
/// backward-clip-step of one loss.
/// </summary>
public abstract class OfflineAlgorithm : nn.Module, IOfflineAlgorithm
{
    private readonly Dictionary<string, AdamW> optimizers = [];

    /// <summary>Named "scaler" in the state dict (a protected field, so each subclass's RegisterComponents sees it).</summary>
    protected readonly ObservationScaler scaler;

    protected OfflineAlgorithm(string name, OfflinePolicyConfig shape, OfflineTrainingConfig config) : base(name)
    {
        Config = config;
        scaler = new ObservationScaler(shape.ObservationSize);
    }

    protected OfflineTrainingConfig Config { get; }
    public nn.Module Module => this;
    public ObservationScaler Scaler => scaler;
    public IReadOnlyDictionary<string, AdamW> Optimizers => optimizers;

    protected AdamW AddOptimizer(string name, IEnumerable<(string, Parameter)> parameters) =>
        optimizers[name] = new AdamW(parameters, beta2: 0.999, weightDecay: 0);

    /// <summary>Backpropagates a loss and steps one optimizer (gradients clipped at max_grad_norm first); returns the gradient norm.</summary>
    protected double Minimize(Tensor loss, AdamW optimizer)
    {
        loss.backward();
        double norm = GradientClipping.ClipOrMeasure(optimizer.Parameters, Config.MaxGradNorm);
        optimizer.StepWith(Config.LearningRate);
        optimizer.ZeroGrad();
        return norm;
    }

    public abstract IReadOnlyDictionary<string, double> Update(Data.TransitionBatch batch);

    public abstract Tensor Act(Tensor observations);

    public abstract Tensor? StateValue(Tensor observations);

    public abstract Tensor? ActionValue(Tensor observations, Tensor actions);

    protected override void Dispose(bool disposing)
    {
        if (disposing) foreach (var optimizer in optimizers.Values) optimizer.Dispose();
        base.Dispose(disposing);
    }
}
