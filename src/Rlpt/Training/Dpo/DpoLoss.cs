using static TorchSharp.torch;

namespace Rlpt.Training.Dpo;

/// <summary>
/// The preference losses on sequence log-probabilities (summed over completion tokens). With the log-ratio margin
/// h = (log π(y_w) − log π_ref(y_w)) − (log π(y_l) − log π_ref(y_l)):
/// sigmoid (DPO) −log σ(β·h); ipo (h − 1/(2β))². The implicit rewards are β·(log π − log π_ref) per side.
/// </summary>
public static class DpoLoss
{
    public const string Sigmoid = "sigmoid";
    public const string Ipo = "ipo";
    public static IReadOnlyCollection<string> Types { get; } = [Sigmoid, Ipo];

    /// <returns>The loss per pair [pairs] and the implicit rewards of the chosen and rejected sides [pairs].</returns>
    public static (Tensor Loss, Tensor ChosenRewards, Tensor RejectedRewards) Compute(
        Tensor policyChosen, Tensor policyRejected, Tensor referenceChosen, Tensor referenceRejected, double beta, string type)
    {
        using var scope = NewDisposeScope();
        var chosenRatio = policyChosen - referenceChosen;
        var rejectedRatio = policyRejected - referenceRejected;
        var margin = chosenRatio - rejectedRatio;
        var loss = type switch
        {
            Sigmoid => -nn.functional.logsigmoid(beta * margin),
            Ipo => (margin - 1 / (2 * beta)).pow(2),
            _ => throw new ArgumentException($"unknown DPO loss type '{type}' (known: {string.Join(", ", Types)})."),
        };
        return (loss.MoveToOuterDisposeScope(), (beta * chosenRatio).detach().MoveToOuterDisposeScope(), (beta * rejectedRatio).detach().MoveToOuterDisposeScope());
    }
}
