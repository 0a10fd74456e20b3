namespace Rlpt.Decision.Environments.Control;

/// <summary>
/// CartPole-v1 (Barto, Sutton and Anderson's cart-pole as Gymnasium defines it): push the cart left (0) or right (1)
/// with force 10; Euler integration with τ = 0.02; reward 1 every step, including the terminating one; terminates
/// when |θ| &gt; 12° or |x| &gt; 2.4; truncated at 500 steps. State x, ẋ, θ, θ̇, each starting in U(−0.05, 0.05).
/// </summary>
public sealed class CartPole : ControlEnvironment
{
    private const double Gravity = 9.8, CartMass = 1.0, PoleMass = 0.1, TotalMass = CartMass + PoleMass;
    private const double HalfLength = 0.5, PoleMassLength = PoleMass * HalfLength, ForceMagnitude = 10.0, Tau = 0.02;
    public const double ThetaThreshold = 12 * 2 * Math.PI / 360, XThreshold = 2.4;

    private double x, xDot, theta, thetaDot;

    public override string Id => "CartPole-v1";
    public override int ObservationSize => 4;
    public override float[] ObservationLow => [-2 * (float)XThreshold, float.NegativeInfinity, -2 * (float)ThetaThreshold, float.NegativeInfinity];
    public override float[] ObservationHigh => [2 * (float)XThreshold, float.PositiveInfinity, 2 * (float)ThetaThreshold, float.PositiveInfinity];
    public override ActionSpace Actions { get; } = ActionSpace.OfCount(2);
    public override int MaxEpisodeSteps => 500;

    /// <summary>Sets the state directly (tests and worked examples).</summary>
    public float[] ResetTo(double x, double xDot, double theta, double thetaDot)
    {
        Reset(new Random(0));
        (this.x, this.xDot, this.theta, this.thetaDot) = (x, xDot, theta, thetaDot);
        return Observe();
    }

    protected override void ResetState(Random random)
    {
        x = Uniform(random, -0.05, 0.05);
        xDot = Uniform(random, -0.05, 0.05);
        theta = Uniform(random, -0.05, 0.05);
        thetaDot = Uniform(random, -0.05, 0.05);
    }

    protected override (double Reward, bool Terminated) Advance(ReadOnlySpan<float> action)
    {
        double force = Actions.Index(action) == 1 ? ForceMagnitude : -ForceMagnitude;
        double cos = Math.Cos(theta), sin = Math.Sin(theta);
        double temp = (force + PoleMassLength * thetaDot * thetaDot * sin) / TotalMass;
        double thetaAcc = (Gravity * sin - cos * temp) / (HalfLength * (4.0 / 3.0 - PoleMass * cos * cos / TotalMass));
        double xAcc = temp - PoleMassLength * thetaAcc * cos / TotalMass;
        x += Tau * xDot;
        xDot += Tau * xAcc;
        theta += Tau * thetaDot;
        thetaDot += Tau * thetaAcc;
        bool terminated = x < -XThreshold || x > XThreshold || theta < -ThetaThreshold || theta > ThetaThreshold;
        return (1.0, terminated);
    }

    protected override float[] Observe() => [(float)x, (float)xDot, (float)theta, (float)thetaDot];
}
