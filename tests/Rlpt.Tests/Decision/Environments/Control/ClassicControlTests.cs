using Rlpt.Decision.Environments.Control;

namespace Rlpt.Tests.Decision.Environments.Control;

/// <summary>Gymnasium's classic-control dynamics, checked step by step against values worked out from the equations.</summary>
public sealed class ClassicControlTests
{
    [Fact]
    public void CartPolePushFromRestFollowsTheEulerStepOfTheEquations()
    {
        var cart = new CartPole();
        cart.ResetTo(0, 0, 0, 0);
        var step = cart.Step([1f]);
        // θ = 0: temp = F / (m_c + m_p); θ̈ = −temp / (l (4/3 − m_p / (m_c + m_p))); ẍ = temp − m_p l θ̈ / (m_c + m_p).
        double temp = 10.0 / 1.1, thetaAcc = -temp / (0.5 * (4.0 / 3.0 - 0.1 / 1.1)), xAcc = temp - 0.05 * thetaAcc / 1.1;
        // Euler: positions move with the old velocities (still 0), velocities with the accelerations.
        Assert.Equal([0f, (float)(0.02 * xAcc), 0f, (float)(0.02 * thetaAcc)], step.Observation);
        Assert.Equal(1.0, step.Reward);
        Assert.False(step.Done);
        var second = cart.Step([0f]);
        Assert.Equal(0.02 * 0.02 * xAcc, second.Observation[0], 1e-7);
        Assert.Equal(0.02 * 0.02 * thetaAcc, second.Observation[2], 1e-7);
    }

    [Fact]
    public void CartPoleTerminatesPastTwelveDegreesWithTheStepStillRewarded()
    {
        var cart = new CartPole();
        cart.ResetTo(0, 0, CartPole.ThetaThreshold - 0.001, 1.0);
        var step = cart.Step([1f]);
        Assert.True(step.Terminated);
        Assert.False(step.Truncated);
        Assert.Equal(1.0, step.Reward);
        Assert.Throws<InvalidOperationException>(() => cart.Step([1f]));
    }

    [Fact]
    public void CartPoleBalancedByAFeedbackRuleIsTruncatedAtFiveHundredSteps()
    {
        var cart = new CartPole();
        var observation = cart.Reset(new Random(3));
        int steps = 0;
        double total = 0;
        while (true)
        {
            var step = cart.Step([observation[2] + 0.5f * observation[3] > 0 ? 1f : 0f]);
            steps++;
            total += step.Reward;
            observation = step.Observation;
            if (!step.Done) continue;
            Assert.True(step.Truncated);
            Assert.False(step.Terminated);
            break;
        }
        Assert.Equal(500, steps);
        Assert.Equal(500, total);
    }

    [Fact]
    public void CartPoleResetDrawsEveryStateVariableWithinFiveHundredths()
    {
        var cart = new CartPole();
        var random = new Random(1);
        for (int i = 0; i < 100; i++) Assert.All(cart.Reset(random), v => Assert.InRange(v, -0.05f, 0.05f));
    }

    [Fact]
    public void MountainCarStepFollowsGravityAndThrust()
    {
        var car = new MountainCar();
        car.ResetTo(-0.5, 0);
        var step = car.Step([2f]);
        double velocity = 0.001 - 0.0025 * Math.Cos(-1.5);
        Assert.Equal([(float)(-0.5 + velocity), (float)velocity], step.Observation);
        Assert.Equal(-1.0, step.Reward);
        Assert.False(step.Done);
    }

    [Fact]
    public void MountainCarStopsAtTheLeftWallAndCapsItsSpeed()
    {
        var car = new MountainCar();
        car.ResetTo(-1.19, -0.07);
        var step = car.Step([0f]);
        Assert.Equal([-1.2f, 0f], step.Observation);
        car.ResetTo(-1.0, 0.0699); // gravity pulls right here: 0.0699 + 0.001 + 0.0025·0.99 > 0.07
        Assert.Equal(0.07f, car.Step([2f]).Observation[1]);
    }

    [Fact]
    public void MountainCarPumpedByItsVelocityReachesTheFlagBeforeTheTimeLimit()
    {
        var car = new MountainCar();
        var observation = car.Reset(new Random(5));
        Assert.InRange(observation[0], -0.6f, -0.4f);
        Assert.Equal(0f, observation[1]);
        for (int steps = 1; ; steps++)
        {
            var step = car.Step([observation[1] >= 0 ? 2f : 0f]);
            observation = step.Observation;
            if (!step.Done) continue;
            Assert.True(step.Terminated, "the energy-pumping rule should reach x >= 0.5");
            Assert.True(observation[0] >= 0.5f);
            Assert.InRange(steps, 2, 199);
            break;
        }
    }

    [Fact]
    public void MountainCarIdleIsTruncatedAtTwoHundredSteps()
    {
        var car = new MountainCar();
        car.Reset(new Random(0));
        StepResultCount(car, [1f], out int steps, out var last);
        Assert.Equal(200, steps);
        Assert.True(last.Truncated);
    }

    [Fact]
    public void AcrobotMatchesAnIndependentRungeKuttaOfTheBookEquations()
    {
        // Reference values from a separate plain-Python integration of the same equations (dt 0.2, one RK4 step).
        double[][] expected =
        [
            [0.03396426807716706, 0.014028356136744108, -0.175464650251537, 0.4197156022652691],
            [0.010256406751987378, 0.061304367014462395, -0.05558414607650376, 0.0417371113112644],
            [-0.00046751124082028417, 0.06363968562706548, -0.04942649940703602, -0.02038908705444733],
        ];
        var acrobot = new Acrobot();
        acrobot.ResetTo(0.05, -0.03, 0.02, 0.01);
        float[] actions = [2, 0, 1];
        for (int i = 0; i < actions.Length; i++)
        {
            var step = acrobot.Step([actions[i]]);
            for (int j = 0; j < 4; j++) Assert.Equal(expected[i][j], acrobot.State[j], 1e-12);
            Assert.Equal(-1.0, step.Reward);
            Assert.Equal((float)Math.Cos(expected[i][0]), step.Observation[0]);
            Assert.Equal((float)Math.Sin(expected[i][1]), step.Observation[3]);
            Assert.Equal((float)expected[i][3], step.Observation[5]);
        }
    }

    [Fact]
    public void AcrobotWithTheTipAboveTheBarTerminatesWithZeroRewardAndWrapsItsAngle()
    {
        var acrobot = new Acrobot();
        acrobot.ResetTo(Math.PI, 0, 0, 0);
        var step = acrobot.Step([1f]);
        Assert.True(step.Terminated);
        Assert.Equal(0.0, step.Reward);
        Assert.InRange(acrobot.State[0], -Math.PI, Math.PI);
    }

    [Fact]
    public void PendulumRewardsThePreStepStateAndIntegratesSemiImplicitly()
    {
        var pendulum = new Pendulum();
        pendulum.ResetTo(3 * Math.PI / 2, 0.5);
        var step = pendulum.Step([5f]); // clipped to the maximum torque 2
        double angle = -Math.PI / 2; // 3π/2 normalised
        Assert.Equal(-(angle * angle + 0.1 * 0.25 + 0.001 * 4), step.Reward, 1e-12);
        double thetaDot = 0.5 + (15 * Math.Sin(3 * Math.PI / 2) + 3 * 2) * 0.05;
        double theta = 3 * Math.PI / 2 + thetaDot * 0.05;
        Assert.Equal([(float)Math.Cos(theta), (float)Math.Sin(theta), (float)thetaDot], step.Observation);
        Assert.False(step.Terminated);
    }

    [Fact]
    public void PendulumSpeedIsCappedAndEpisodesAreTruncatedAtTwoHundredSteps()
    {
        var pendulum = new Pendulum();
        pendulum.ResetTo(0, 7.9);
        Assert.Equal(8f, pendulum.Step([2f]).Observation[2]);
        var observation = pendulum.Reset(new Random(2));
        Assert.InRange(observation[2], -1f, 1f);
        StepResultCount(pendulum, [0f], out int steps, out var last);
        Assert.Equal(200, steps);
        Assert.True(last.Truncated);
        Assert.False(last.Terminated);
    }

    [Theory]
    [InlineData(3.0 * Math.PI / 2, -Math.PI / 2)]
    [InlineData(-3.0 * Math.PI / 2, Math.PI / 2)]
    [InlineData(0.25, 0.25)]
    public void PendulumAnglesAreNormalisedLikePythonsModulus(double theta, double expected) =>
        Assert.Equal(expected, Pendulum.NormalizeAngle(theta), 1e-12);

    [Fact]
    public void ActionsOutsideTheSpaceAreRefused()
    {
        var cart = new CartPole();
        cart.Reset(new Random(0));
        Assert.Throws<ArgumentException>(() => cart.Step([2f]));
        Assert.Throws<ArgumentException>(() => cart.Step([0.5f]));
        var pendulum = new Pendulum();
        pendulum.Reset(new Random(0));
        Assert.Throws<ArgumentException>(() => pendulum.Step([float.NaN]));
    }

    [Fact]
    public void TheRegistryBuildsEveryTaskByItsGymnasiumId()
    {
        foreach (var id in ControlEnvironments.Names) Assert.Equal(id, ControlEnvironments.Create(id).Id);
        Assert.Equal(4, ControlEnvironments.Names.Count);
        Assert.Contains("Pendulum-v1", Assert.Throws<ArgumentException>(() => ControlEnvironments.Create("Hopper-v4")).Message);
    }

    private static void StepResultCount(IControlEnvironment environment, float[] action, out int steps, out Rlpt.Decision.Environments.StepResult last)
    {
        steps = 0;
        do
        {
            last = environment.Step(action);
            steps++;
        } while (!last.Done);
    }
}
