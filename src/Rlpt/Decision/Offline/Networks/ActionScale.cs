using TorchSharp;
using static TorchSharp.torch;

namespace Rlpt.Decision.Offline.Networks;

/// <summary>Maps a tanh output in [−1, 1] to a box [low, high] and back, and the log-determinant the map adds to a log-density.</summary>
public sealed record ActionScale(float Low, float High, int Size)
{
    public double Middle => (High + Low) / 2.0;
    public double HalfRange => (High - Low) / 2.0;

    public Tensor ToBox(Tensor unit)
    {
        using Scalar half = HalfRange, middle = Middle;
        return unit.mul(half).add(middle);
    }

    public Tensor ToUnit(Tensor action)
    {
        using Scalar half = HalfRange, middle = Middle;
        return action.sub(middle).div(half);
    }

    /// <summary>Σ log(half-range) over the action's dimensions: subtract from a unit-box log-density.</summary>
    public double LogScale => Size * Math.Log(HalfRange);
}
