namespace Rlpt.Decision.Environments.Control;

/// <summary>
/// Pendulum-v1 as Gymnasium defines it: torque u in [−2, 2]; θ̇ += (3g/2l·sin θ + 3/(ml²)·u)·dt with g = 10,
/// m = l = 1, dt = 0.05, θ̇ clipped to ±8, then θ += θ̇·dt; reward −(norm(θ)² + 0.1·θ̇² + 0.001·u²) on the state
/// before the step; never terminates; truncated at 200 steps. Observation (cos θ, sin θ, θ̇); starts at
/// θ ~ U(−π, π), θ̇ ~ U(−1, 1). θ = 0 is upright.
/// </summary>
public sealed class Pendulum : ControlEnvironment
{
    private const double MaxSpeed = 8, MaxTorque = 2, Dt = 0.05, Gravity = 10.0, Mass = 1.0, Length = 1.0;

    private double theta, thetaDot;

    public override string Id => "Pendulum-v1";
    public override int ObservationSize => 3;
    public override float[] ObservationLow => [-1, -1, -(float)MaxSpeed];
    public override float[] ObservationHigh => [1, 1, (float)MaxSpeed];
    public override ActionSpace Actions { get; } = ActionSpace.Box(1, -(float)MaxTorque, (float)MaxTorque);
    public override int MaxEpisodeSteps => 200;

    public float[] ResetTo(double theta, double thetaDot)
    {
        Reset(new Random(0));
        (this.theta, this.thetaDot) = (theta, thetaDot);
        return Observe();
    }

    protected override void ResetState(Random random)
    {
        theta = Uniform(random, -Math.PI, Math.PI);
        thetaDot = Uniform(random, -1, 1);
    }

    protected override (double Reward, bool Terminated) Advance(ReadOnlySpan<float> action)
    {
        if (action.Length != 1 || !float.IsFinite(action[0])) throw new ArgumentException($"Pendulum-v1 takes one finite torque (got {action.Length} values).");
        double u = Math.Clamp(action[0], -MaxTorque, MaxTorque);
        double angle = NormalizeAngle(theta);
        double cost = angle * angle + 0.1 * thetaDot * thetaDot + 0.001 * u * u;
        double newThetaDot = thetaDot + (3 * Gravity / (2 * Length) * Math.Sin(theta) + 3.0 / (Mass * Length * Length) * u) * Dt;
        thetaDot = Math.Clamp(newThetaDot, -MaxSpeed, MaxSpeed);
        theta += thetaDot * Dt;
        return (-cost, false);
    }

    protected override float[] Observe() => [(float)Math.Cos(theta), (float)Math.Sin(theta), (float)thetaDot];

    /// <summary>θ mapped to [−π, π) with a non-negative modulus, as Python's % gives.</summary>
    public static double NormalizeAngle(double x)
    {
        double period = 2 * Math.PI, shifted = (x + Math.PI) % period;
        return (shifted < 0 ? shifted + period : shifted) - Math.PI;
    }
}
