using Rlpt.Evaluation;

namespace Rlpt.Objectives.Rlpt;

/// <summary>RLPT's own evaluation: the next-segment reward of held-out ASR and MSR tasks, built with the training task options.</summary>
public static class RlptEvaluation
{
    public static EvaluationResult Evaluate(ObjectiveEvaluationSetup setup, EvaluationResult result, CancellationToken cancellation)
    {
        var sampler = new RlptTaskSampler(setup.Data.Validation, setup.Tokenizer, setup.Data.Meta.Sources, setup.Options<RlptTaskOptions>());
        var tasks = sampler.EvaluationTasks(setup.Evaluation.Tasks, setup.Evaluation.Seed);
        var nextSegment = new NextSegmentEvaluator(setup.Model, setup.Tokenizer, setup.Rewards)
            .EvaluateAsync(tasks, setup.Evaluation.Decoding, cancellation).GetAwaiter().GetResult();
        return result with { NextSegment = nextSegment };
    }
}
