namespace Rlpt.Training;

/// <summary>Linear warm-up to the peak rate, then cosine decay to <c>MinLearningRate</c> at the last step.</summary>
public sealed record LearningRateSchedule(double PeakLearningRate, double MinLearningRate, int WarmupSteps, int TotalSteps)
{
    /// <param name="step">Zero-based optimizer step.</param>
    public double At(int step)
    {
        if (step < WarmupSteps) return PeakLearningRate * (step + 1) / WarmupSteps;
        if (step >= TotalSteps) return MinLearningRate;
        double progress = (double)(step - WarmupSteps) / Math.Max(1, TotalSteps - WarmupSteps);
        return MinLearningRate + 0.5 * (PeakLearningRate - MinLearningRate) * (1 + Math.Cos(Math.PI * progress));
    }
}
