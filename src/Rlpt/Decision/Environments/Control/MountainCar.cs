namespace Rlpt.Decision.Environments.Control;

/// <summary>
/// MountainCar-v0 (Moore's mountain car as Gymnasium defines it): accelerate left (0), not at all (1) or right (2);
/// velocity += (a − 1)·0.001 − 0.0025·cos(3x), clipped to ±0.07; position clipped to [−1.2, 0.6] with the velocity
/// zeroed against the left wall; reward −1 every step; terminates at x ≥ 0.5 (with v ≥ 0); truncated at 200 steps.
/// Starts at x ~ U(−0.6, −0.4), v = 0.
/// </summary>
public sealed class MountainCar : ControlEnvironment
{
    private const double MinPosition = -1.2, MaxPosition = 0.6, MaxSpeed = 0.07, GoalPosition = 0.5, GoalVelocity = 0;
    private const double Force = 0.001, Gravity = 0.0025;

    private double position, velocity;

    public override string Id => "MountainCar-v0";
    public override int ObservationSize => 2;
    public override float[] ObservationLow => [(float)MinPosition, -(float)MaxSpeed];
    public override float[] ObservationHigh => [(float)MaxPosition, (float)MaxSpeed];
    public override ActionSpace Actions { get; } = ActionSpace.OfCount(3);
    public override int MaxEpisodeSteps => 200;

    public float[] ResetTo(double position, double velocity)
    {
        Reset(new Random(0));
        (this.position, this.velocity) = (position, velocity);
        return Observe();
    }

    protected override void ResetState(Random random)
    {
        position = Uniform(random, -0.6, -0.4);
        velocity = 0;
    }

    protected override (double Reward, bool Terminated) Advance(ReadOnlySpan<float> action)
    {
        int a = Actions.Index(action);
        velocity += (a - 1) * Force + Math.Cos(3 * position) * -Gravity;
        velocity = Math.Clamp(velocity, -MaxSpeed, MaxSpeed);
        position += velocity;
        position = Math.Clamp(position, MinPosition, MaxPosition);
        if (position == MinPosition && velocity < 0) velocity = 0;
        return (-1.0, position >= GoalPosition && velocity >= GoalVelocity);
    }

    protected override float[] Observe() => [(float)position, (float)velocity];
}
