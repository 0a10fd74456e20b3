namespace Rlpt.Decision.Environments.Control;

/// <summary>
/// Acrobot-v1 (Sutton's two-link acrobot, the "book" dynamics, as Gymnasium defines it): torque −1, 0 or +1 on the
/// joint between the links; one step integrates 0.2 s with a single fourth-order Runge-Kutta step; joint angles
/// wrapped to [−π, π], velocities bounded to ±4π and ±9π; reward −1 per step and 0 on reaching the goal
/// (−cos θ₁ − cos(θ₁ + θ₂) &gt; 1, the tip above the bar); truncated at 500 steps. Observation (cos θ₁, sin θ₁,
/// cos θ₂, sin θ₂, θ̇₁, θ̇₂); every state variable starts in U(−0.1, 0.1).
/// </summary>
public sealed class Acrobot : ControlEnvironment
{
    private const double Dt = 0.2, Link1Length = 1.0, Link1Mass = 1.0, Link2Mass = 1.0, Link1Com = 0.5, Link2Com = 0.5;
    private const double MomentOfInertia = 1.0, Gravity = 9.8, MaxVelocity1 = 4 * Math.PI, MaxVelocity2 = 9 * Math.PI;
    private static readonly double[] Torques = [-1.0, 0.0, 1.0];

    private double[] state = new double[4];

    public override string Id => "Acrobot-v1";
    public override int ObservationSize => 6;
    public override float[] ObservationLow => [-1, -1, -1, -1, -(float)MaxVelocity1, -(float)MaxVelocity2];
    public override float[] ObservationHigh => [1, 1, 1, 1, (float)MaxVelocity1, (float)MaxVelocity2];
    public override ActionSpace Actions { get; } = ActionSpace.OfCount(3);
    public override int MaxEpisodeSteps => 500;

    /// <summary>The raw state (θ₁, θ₂, θ̇₁, θ̇₂).</summary>
    public IReadOnlyList<double> State => state;

    public float[] ResetTo(double theta1, double theta2, double theta1Dot, double theta2Dot)
    {
        Reset(new Random(0));
        state = [theta1, theta2, theta1Dot, theta2Dot];
        return Observe();
    }

    protected override void ResetState(Random random) => state = Enumerable.Range(0, 4).Select(_ => Uniform(random, -0.1, 0.1)).ToArray();

    protected override (double Reward, bool Terminated) Advance(ReadOnlySpan<float> action)
    {
        double torque = Torques[Actions.Index(action)];
        var next = RungeKutta4(state, torque, Dt);
        next[0] = Wrap(next[0], -Math.PI, Math.PI);
        next[1] = Wrap(next[1], -Math.PI, Math.PI);
        next[2] = Math.Clamp(next[2], -MaxVelocity1, MaxVelocity1);
        next[3] = Math.Clamp(next[3], -MaxVelocity2, MaxVelocity2);
        state = next;
        bool terminated = -Math.Cos(state[0]) - Math.Cos(state[1] + state[0]) > 1.0;
        return (terminated ? 0.0 : -1.0, terminated);
    }

    protected override float[] Observe() =>
        [(float)Math.Cos(state[0]), (float)Math.Sin(state[0]), (float)Math.Cos(state[1]), (float)Math.Sin(state[1]), (float)state[2], (float)state[3]];

    /// <summary>One classical RK4 step of the state under a constant torque.</summary>
    private static double[] RungeKutta4(double[] y, double torque, double dt)
    {
        var k1 = Derivatives(y, torque);
        var k2 = Derivatives(Add(y, k1, dt / 2), torque);
        var k3 = Derivatives(Add(y, k2, dt / 2), torque);
        var k4 = Derivatives(Add(y, k3, dt), torque);
        return Enumerable.Range(0, 4).Select(i => y[i] + dt / 6.0 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i])).ToArray();
    }

    private static double[] Add(double[] y, double[] k, double scale) => Enumerable.Range(0, 4).Select(i => y[i] + scale * k[i]).ToArray();

    /// <summary>The equations of motion (Sutton and Barto's book variant).</summary>
    private static double[] Derivatives(double[] s, double torque)
    {
        const double m1 = Link1Mass, m2 = Link2Mass, l1 = Link1Length, lc1 = Link1Com, lc2 = Link2Com, i1 = MomentOfInertia, i2 = MomentOfInertia, g = Gravity;
        double theta1 = s[0], theta2 = s[1], dtheta1 = s[2], dtheta2 = s[3];
        double d1 = m1 * lc1 * lc1 + m2 * (l1 * l1 + lc2 * lc2 + 2 * l1 * lc2 * Math.Cos(theta2)) + i1 + i2;
        double d2 = m2 * (lc2 * lc2 + l1 * lc2 * Math.Cos(theta2)) + i2;
        double phi2 = m2 * lc2 * g * Math.Cos(theta1 + theta2 - Math.PI / 2);
        double phi1 = -m2 * l1 * lc2 * dtheta2 * dtheta2 * Math.Sin(theta2) - 2 * m2 * l1 * lc2 * dtheta2 * dtheta1 * Math.Sin(theta2)
                      + (m1 * lc1 + m2 * l1) * g * Math.Cos(theta1 - Math.PI / 2) + phi2;
        double ddtheta2 = (torque + d2 / d1 * phi1 - m2 * l1 * lc2 * dtheta1 * dtheta1 * Math.Sin(theta2) - phi2) / (m2 * lc2 * lc2 + i2 - d2 * d2 / d1);
        double ddtheta1 = -(d2 * ddtheta2 + phi1) / d1;
        return [dtheta1, dtheta2, ddtheta1, ddtheta2];
    }

    /// <summary>Gymnasium's wrap: shifts x by whole periods into [low, high].</summary>
    private static double Wrap(double x, double low, double high)
    {
        double period = high - low;
        while (x > high) x -= period;
        while (x < low) x += period;
        return x;
    }
}
