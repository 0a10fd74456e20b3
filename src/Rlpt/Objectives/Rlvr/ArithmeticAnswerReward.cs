using Rlpt.Data.Corpora.Arithmetic;
using Rlpt.Evaluation;
using Rlpt.Training.Rl;

namespace Rlpt.Objectives.Rlvr;

/// <summary>
/// RLVR's verifiable reward: the value stated in the completion's conclusion ("So the value of EXPR is VALUE.", read as
/// the arithmetic evaluation reads it) against the problem's exact answer, continuous or binary.
/// </summary>
public sealed class ArithmeticAnswerReward(string mode) : IRolloutReward
{
    public const string Accuracy = "rlvr/accuracy";
    public const string AnswerRate = "rlvr/answer_rate";

    public Task<IReadOnlyDictionary<string, double>> ScoreAsync(RolloutBatch batch, RlContext context, CancellationToken cancellation)
    {
        int correct = 0, stated = 0;
        var formats = AnswerFormats.Names.Append(NoFormat).ToDictionary(f => f, _ => 0);
        foreach (var group in batch.Groups)
        {
            var problem = (ArithmeticProblem)group.Prompt.Task;
            for (int i = 0; i < group.Rewards.Length; i++)
            {
                var (reward, answered, exact) = Score(group.Completions[i].Text, problem.Answer);
                group.Rewards[i] = reward;
                stated += answered ? 1 : 0;
                correct += exact ? 1 : 0;
                formats[FormatOf(group.Completions[i].Text)]++;
            }
            group.RewardTerms[mode] = group.Rewards.ToArray();
        }
        int total = batch.Completions.Count();
        var metrics = new Dictionary<string, double> { [Accuracy] = (double)correct / total, [AnswerRate] = (double)stated / total };
        // Echo Chamber's measurement: which answer format the policy writes (the first it states; none without one).
        foreach (var (format, count) in formats) metrics[$"rlvr/format/{format}"] = (double)count / total;
        return Task.FromResult<IReadOnlyDictionary<string, double>>(metrics);
    }

    public const string NoFormat = "none";

    /// <summary>The format of the first answer statement, well-formed or not; "none" without one.</summary>
    public static string FormatOf(string completion) => AnswerFormats.TryRead(completion, out _, out var format) || format is not null ? format! : NoFormat;

    public (double Reward, bool Stated, bool Exact) Score(string completion, Rational answer)
    {
        if (!ArithmeticEvaluator.TryReadAnswer(completion, out var value)) return (0, false, false);
        bool exact = NumericAnswer.Equivalent(value, answer);
        return (mode == "binary" ? (exact ? 1 : 0) : NumericAnswer.ContinuousReward(value.ToDouble(), answer.ToDouble()), true, exact);
    }
}
