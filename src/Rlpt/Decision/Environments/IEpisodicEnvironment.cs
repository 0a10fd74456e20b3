namespace Rlpt.Decision.Environments;

/// <summary>One transition's outcome.</summary>
public readonly record struct StepResult(float[] Observation, double Reward, bool Terminated, bool Truncated)
{
    public bool Done => Terminated || Truncated;
}

/// <summary>
/// An episodic task with vector observations and discrete actions, in Gymnasium's shape: <see cref="Reset"/> starts an
/// episode, <see cref="Step"/> advances it and says whether it terminated (a terminal state) or was truncated (the
/// horizon). Deterministic given the task and the actions; stochastic tasks take their randomness from the caller.
/// </summary>
public interface IEpisodicEnvironment
{
    int ObservationSize { get; }
    int ActionCount { get; }
    int Horizon { get; }

    float[] Reset();

    StepResult Step(int action);
}

public static class EpisodicEnvironmentExtensions
{
    /// <summary>The return of one episode under a policy from observations to actions.</summary>
    public static double Rollout(this IEpisodicEnvironment environment, Func<float[], int> policy)
    {
        var observation = environment.Reset();
        double total = 0;
        while (true)
        {
            var step = environment.Step(policy(observation));
            total += step.Reward;
            if (step.Done) return total;
            observation = step.Observation;
        }
    }
}
