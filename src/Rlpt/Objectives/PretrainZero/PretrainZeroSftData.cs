using Rlpt.Objectives.Rlpt;
using Rlpt.Tokenization;
using Rlpt.Training.Sft;

namespace Rlpt.Objectives.PretrainZero;

/// <summary>
/// Cold-start SFT examples for PretrainZero: the policy must write \mask{} and \boxed{} answers before RL can reward
/// them. Passages alternate between the roles; both use a random span (the generator's example shows the format, not a
/// good choice: choosing well is what RL is for).
/// </summary>
public static class PretrainZeroSftData
{
    public static IReadOnlyList<SftExample> Build(RlptTaskSampler passages, Tokenizer tokenizer, PretrainZeroOptions options, int count)
    {
        options.Validate();
        var examples = new List<SftExample>(count);
        for (long draw = 0; examples.Count < count; draw++)
        {
            if (draw >= 100L * (count + 1))
                throw new InvalidDataException($"{draw} passages gave only {examples.Count} valid random masks: the documents are too short or repetitive for PretrainZero.");
            string passage = PretrainZeroObjective.Passage(passages.Draw(draw));
            if (PretrainZeroObjective.RandomMask(passage, options.Seed, draw, tokenizer, options with { Masks = PretrainZeroOptions.Random }) is not { } mask) continue;
            examples.Add(examples.Count % 2 == 0 ? PretrainZeroPrompts.GeneratorExample(mask, options.OpenThink) : PretrainZeroPrompts.PredictorExample(mask, options.OpenThink));
        }
        return examples;
    }
}
