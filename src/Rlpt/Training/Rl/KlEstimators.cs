using static TorchSharp.torch;

namespace Rlpt.Training.Rl;

/// <summary>
/// Per-token estimators of KL(π‖π_ref) from log-probs of tokens sampled from π (Schulman, "Approximating KL
/// divergence"). With d = log π − log π_ref: k1 = d (unbiased, can be negative), k2 = ½d² (biased, low variance),
/// k3 = e^(−d) + d − 1 (unbiased and never negative; GRPO's choice).
/// </summary>
public static class KlEstimators
{
    public static IReadOnlyCollection<string> Names { get; } = ["k1", "k2", "k3"];

    /// <summary>The estimator by its config name (<see cref="GrpoConfig.KlEstimator"/>).</summary>
    public static Func<Tensor, Tensor, Tensor> Get(string name) => name switch
    {
        "k1" => K1,
        "k2" => K2,
        "k3" => K3,
        _ => throw new ArgumentException($"Unknown KL estimator '{name}'; known: {string.Join(", ", Names)}."),
    };

    public static Tensor K1(Tensor logProbs, Tensor referenceLogProbs) => logProbs - referenceLogProbs;

    public static Tensor K2(Tensor logProbs, Tensor referenceLogProbs)
    {
        using var scope = NewDisposeScope();
        return (0.5 * (logProbs - referenceLogProbs).square()).MoveToOuterDisposeScope();
    }

    public static Tensor K3(Tensor logProbs, Tensor referenceLogProbs)
    {
        using var scope = NewDisposeScope();
        var logRatio = referenceLogProbs - logProbs;
        return (logRatio.exp() - logRatio - 1).MoveToOuterDisposeScope();
    }
}
