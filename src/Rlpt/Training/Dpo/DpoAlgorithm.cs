using System.Diagnostics;
using System.Text.Json.Nodes;
using Rlpt.Modeling;
using Rlpt.Tokenization;
using Rlpt.Training.Rl;
using Rlpt.Training.Runs;
using TorchSharp;
using static TorchSharp.torch;

namespace Rlpt.Training.Dpo;

/// <summary>
/// DPO (and IPO) on preference pairs: each step takes batch_size pairs of a seeded epoch order, scores both sides by
/// their summed completion-token log-probabilities under the policy and under a frozen reference (the starting
/// policy, kept in every checkpoint), and takes one AdamW step on the mean <see cref="DpoLoss"/>, with warm-up and
/// cosine decay as SFT. Log-probs come from the RL path's <c>RlBatch</c> (the lm_head only at completion positions;
/// with share_prefix a pair's prompt is forwarded once for both sides). Metrics carry TRL's DPOTrainer names.
/// </summary>
public sealed class DpoAlgorithm : ITrainingAlgorithm
{
    private readonly DpoConfig config;
    private readonly IReadOnlyList<(int[] Prompt, int[] Chosen, int[] Rejected)> pairs;
    private readonly Device device;
    private readonly CausalLM reference;
    private readonly AdamW optimizer;
    private readonly LearningRateSchedule schedule;

    /// <param name="policy">The model to train; the caller keeps ownership.</param>
    public DpoAlgorithm(DpoConfig config, CausalLM policy, Tokenizer tokenizer, IReadOnlyList<PreferencePair> pairs, Device device)
    {
        config.Validate();
        if (pairs.Count == 0) throw new InvalidDataException("no preference pairs.");
        this.config = config;
        this.device = device;
        Policy = policy;
        Tokenizer = tokenizer;
        this.pairs = pairs.Select(Encode).ToArray();
        StepsPerEpoch = (pairs.Count + config.BatchSize - 1) / config.BatchSize;
        MaxSteps = StepsPerEpoch * config.Epochs;
        policy.to(device);
        reference = FrozenCopy.Of(policy);
        optimizer = new AdamW(policy.named_parameters(), weightDecay: 0.0);
        schedule = new LearningRateSchedule(config.LearningRate, config.LearningRate / 10, config.WarmupSteps, MaxSteps);
        Modules = new Dictionary<string, nn.Module> { ["reference"] = reference };
        Optimizers = new Dictionary<string, AdamW> { ["policy"] = optimizer };
    }

    public string Name => "dpo";
    public int MaxSteps { get; }
    public int StepsPerEpoch { get; }
    public SavePolicy Saving => config.Saving;
    public CausalLM Policy { get; }
    public Tokenizer Tokenizer { get; }
    public ITrainedModel Model => new LanguageModelFolder(Policy, Tokenizer);
    public IReadOnlyDictionary<string, nn.Module> Modules { get; }
    public IReadOnlyDictionary<string, AdamW> Optimizers { get; }

    // The epoch order is a function of (seed, step): the step number is the whole data position.
    public JsonObject SaveState() => [];

    public void RestoreState(JsonObject state) { }

    public StepOutcome Step(int step, StepContext context)
    {
        var clock = Stopwatch.StartNew();
        var batch = EpochOrder.Batch(pairs.Count, config.BatchSize, config.Seed, step).Select(i => pairs[i]).ToArray();
        double learningRate = schedule.At(step);
        using var scope = NewDisposeScope();
        Policy.train();
        var (chosen, rejected, chosenLogits, rejectedLogits) = SequenceLogProbs(Policy, batch);
        Tensor referenceChosen, referenceRejected;
        using (no_grad()) (referenceChosen, referenceRejected, _, _) = SequenceLogProbs(reference, batch);
        var (losses, chosenRewards, rejectedRewards) = DpoLoss.Compute(chosen, rejected, referenceChosen, referenceRejected, config.Beta, config.LossType);
        var lossTensor = losses.mean();
        lossTensor.backward();
        double loss = lossTensor.item<float>();
        double gradNorm = GradientClipping.ClipOrMeasure(optimizer.Parameters, config.MaxGradNorm);
        optimizer.StepWith(learningRate);
        optimizer.ZeroGrad();
        double Mean(Tensor t) => t.mean().item<float>();
        return new StepOutcome(new Dictionary<string, object>
        {
            ["loss"] = loss,
            ["rewards/chosen"] = Mean(chosenRewards),
            ["rewards/rejected"] = Mean(rejectedRewards),
            ["rewards/accuracies"] = Mean(chosenRewards.gt(rejectedRewards).to(ScalarType.Float32)),
            ["rewards/margins"] = Mean(chosenRewards - rejectedRewards),
            ["logps/chosen"] = Mean(chosen.detach()),
            ["logps/rejected"] = Mean(rejected.detach()),
            ["logits/chosen"] = chosenLogits,
            ["logits/rejected"] = rejectedLogits,
            ["grad_norm"] = gradNorm,
            ["lr"] = learningRate,
            ["epoch"] = (double)(step + 1) / StepsPerEpoch,
            ["step_time"] = clock.Elapsed.TotalSeconds,
        }, loss);
    }

    /// <summary>
    /// Summed completion-token log-probabilities of each pair's chosen and rejected side [pairs], and the mean logit over
    /// the chosen and the rejected completion tokens (TRL's logits/chosen and logits/rejected).
    /// </summary>
    internal (Tensor Chosen, Tensor Rejected, double ChosenLogits, double RejectedLogits) SequenceLogProbs(CausalLM model, IReadOnlyList<(int[] Prompt, int[] Chosen, int[] Rejected)> batch)
    {
        using var scope = NewDisposeScope();
        var rows = batch.SelectMany(p => new[] { (p.Prompt, p.Chosen), (p.Prompt, p.Rejected) }).ToArray();
        var groups = config.SharePrefix ? rows.Chunk(2).ToArray() : [rows];
        var sums = new List<Tensor>();
        var logitSums = new List<Tensor>();
        var tokenCounts = new List<Tensor>();
        foreach (var group in groups)
        {
            var rlBatch = RlBatch.Build(group.Select(r => ((IReadOnlyList<int>)r.Prompt, (IReadOnlyList<int>)r.Item2, (IReadOnlyList<float>)new float[r.Item2.Length], 1f, 0f)).ToArray(), Tokenizer.PadId, device);
            var logits = rlBatch.Logits(model, config.SharePrefix);
            var logProbs = RlBatch.TokenLogProbs(logits, rlBatch.Targets, 1.0);
            sums.Add((logProbs * rlBatch.Mask).sum(1));
            using (no_grad())
            {
                logitSums.Add((logits.mean([-1L]) * rlBatch.Mask).sum(1));
                tokenCounts.Add(rlBatch.Mask.sum(1));
            }
        }
        // Rows alternate chosen, rejected: [pairs, 2] after the cat.
        var all = cat(sums, 0).view(-1L, 2L);
        var (chosen, rejected) = (all.select(1, 0).MoveToOuterDisposeScope(), all.select(1, 1).MoveToOuterDisposeScope());
        using var noGrad = no_grad();
        var logitTotals = cat(logitSums, 0).view(-1L, 2L).sum(0L);
        var tokenTotals = cat(tokenCounts, 0).view(-1L, 2L).sum(0L).clamp_min(1);
        var meanLogits = (logitTotals / tokenTotals).cpu().data<float>().ToArray();
        return (chosen, rejected, meanLogits[0], meanLogits[1]);
    }

    public void Dispose()
    {
        optimizer.Dispose();
        reference.Dispose();
    }

    /// <summary>Prompt ids cut from the left so the longer side fits max_length, and both sides' ids.</summary>
    private (int[] Prompt, int[] Chosen, int[] Rejected) Encode(PreferencePair pair, int index)
    {
        var prompt = Tokenizer.Encode(pair.Prompt);
        var chosen = Tokenizer.Encode(pair.Chosen).ToArray();
        var rejected = Tokenizer.Encode(pair.Rejected).ToArray();
        int longest = Math.Max(chosen.Length, rejected.Length);
        if (longest >= config.MaxLength) throw new InvalidDataException($"preference pair {index + 1}: an answer of {longest} tokens does not fit max_length {config.MaxLength}.");
        if (prompt.Count == 0) throw new InvalidDataException($"preference pair {index + 1}: the prompt is empty.");
        if (chosen.Length == 0 || rejected.Length == 0) throw new InvalidDataException($"preference pair {index + 1}: an answer is empty.");
        int keep = Math.Min(prompt.Count, config.MaxLength - longest);
        return ([.. prompt.Skip(prompt.Count - keep)], chosen, rejected);
    }
}
