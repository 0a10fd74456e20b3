using Rlpt.Training.Rl;
using static Rlpt.Tests.Training.Rl.RlTensors;
using static TorchSharp.torch;

namespace Rlpt.Tests.Training.Rl;

public sealed class KlEstimatorsTests
{
    [Fact]
    public void EstimatorsMatchHandComputedValues()
    {
        using var scope = NewDisposeScope();
        // d = log π − log π_ref = [0.5, −1, 0].
        var logProbs = tensor(new[] { -1.0, -2.0, -0.7 });
        var reference = tensor(new[] { -1.5, -1.0, -0.7 });
        AssertClose([0.5, -1.0, 0], KlEstimators.K1(logProbs, reference), 1e-12);
        AssertClose([0.125, 0.5, 0], KlEstimators.K2(logProbs, reference), 1e-12);
        // k3 = e^(−d) + d − 1: e^(−0.5) − 0.5 = 0.1065306597, e − 2 = 0.7182818285, 0.
        AssertClose([0.1065306597, 0.7182818285, 0], KlEstimators.K3(logProbs, reference), 1e-9);
    }
}
