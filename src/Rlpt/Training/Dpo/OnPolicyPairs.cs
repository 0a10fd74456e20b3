using Rlpt.Generation;
using Rlpt.Modeling;
using Rlpt.Tokenization;
using Rlpt.Training.Rl;
using static TorchSharp.torch;

namespace Rlpt.Training.Dpo;

/// <summary>What building on-policy pairs found: the pairs, and how many prompts gave none (every sample scored alike).</summary>
public sealed record OnPolicyPairsResult(IReadOnlyList<PreferencePair> Pairs, int Prompts, int Ties, double MeanReward, double MeanMargin);

/// <summary>
/// Preference pairs from the policy's own samples, scored by an objective's reward (TÜLU 3 builds its on-policy pairs
/// this way, with a judge): for each of the objective's prompts, G samples are rewarded as in GRPO and the best and the
/// worst become chosen and rejected (the first of equals). A prompt whose G rewards are all equal gives no pair.
/// Completions that stopped at a stop string get it back, so the pair teaches the answer's end too.
/// </summary>
public static class OnPolicyPairs
{
    public static OnPolicyPairsResult Build(IRlObjective objective, CausalLM policy, Tokenizer tokenizer, Device device, int prompts, int samples, SamplingOptions sampling, int seed, CancellationToken cancellation = default)
    {
        if (prompts < 1 || samples < 2) throw new ArgumentException($"on-policy pairs need at least 1 prompt and 2 samples per prompt (got {prompts} and {samples}).");
        var context = new RlContext(policy, tokenizer, device, sampling.Temperature, 0);
        var drawn = Enumerable.Range(0, prompts).Select(_ => objective.NextPrompt(context)).ToArray();
        var requests = drawn.SelectMany((p, i) => Enumerable.Range(0, samples).Select(g => new GenerationRequest(p.PromptIds, sampling with
        {
            StopStrings = p.StopStrings,
            Seed = SamplingSeeds.Derive($"{seed}/pairs/{i}/{g}"),
        }))).ToArray();
        IReadOnlyList<GenerationResult> completions;
        using (new EvalMode(policy)) completions = new BatchGenerator(policy, tokenizer).Generate(requests, cancellation);
        var batch = new RolloutBatch(drawn.Select((p, i) => new RolloutGroup(p, completions.Skip(i * samples).Take(samples).ToArray())));
        objective.Reward.ScoreAsync(batch, context, cancellation).GetAwaiter().GetResult();
        var pairs = new List<PreferencePair>();
        var margins = new List<double>();
        foreach (var group in batch.Groups.Take(drawn.Length))
        {
            if (!group.HasSignal) continue;
            int best = Array.IndexOf(group.Rewards, group.Rewards.Max());
            int worst = Array.IndexOf(group.Rewards, group.Rewards.Min());
            string prompt = tokenizer.Decode(group.Prompt.PromptIds);
            string Answer(GenerationResult c) => c.Text + (c.FinishReason == FinishReason.Stop && group.Prompt.StopStrings.Count > 0 && !EndedAtEndOfText(c, tokenizer) ? group.Prompt.StopStrings[0] : "");
            string chosen = Answer(group.Completions[best]), rejected = Answer(group.Completions[worst]);
            if (chosen == rejected) continue;
            pairs.Add(new PreferencePair(prompt, chosen, rejected));
            margins.Add(group.Rewards[best] - group.Rewards[worst]);
        }
        return new OnPolicyPairsResult(pairs, drawn.Length, drawn.Length - batch.Groups.Take(drawn.Length).Count(g => g.HasSignal),
            batch.Groups.Take(drawn.Length).SelectMany(g => g.Rewards).Average(), margins.Count > 0 ? margins.Average() : 0);
    }

    private static bool EndedAtEndOfText(GenerationResult completion, Tokenizer tokenizer) =>
        completion.TokenIds.Count > 0 && completion.TokenIds[^1] == tokenizer.EndOfTextId;
}
