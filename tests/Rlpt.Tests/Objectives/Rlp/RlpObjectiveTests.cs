using Rlpt.Evaluation;
using Rlpt.Generation;
using Rlpt.Interop.HuggingFace;
using Rlpt.Modeling;
using Rlpt.Objectives;
using Rlpt.Objectives.Rlp;
using Rlpt.Rewards;
using Rlpt.Telemetry;
using Rlpt.Tests.Training;
using Rlpt.Tokenization;
using Rlpt.Training.Rl;
using Rlpt.Training.Runs;
using static TorchSharp.torch;

namespace Rlpt.Tests.Objectives.Rlp;

public sealed class RlpObjectiveTests
{
    private static CausalLM Model(int vocab, int seed)
    {
        var model = new CausalLM(new ModelConfig
        {
            VocabSize = vocab, HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 1, NumAttentionHeads = 2,
            MaxPositionEmbeddings = 128, TieWordEmbeddings = true,
        });
        model.InitializeWeights(seed);
        return model;
    }

    /// <summary>log p(target | prefix) computed token by token with a fresh forward over each growing prefix.</summary>
    private static double HandLogLikelihood(CausalLM model, IReadOnlyList<int> prefix, IReadOnlyList<int> target)
    {
        using var guard = no_grad();
        double total = 0;
        var sequence = prefix.ToList();
        foreach (var token in target)
        {
            using var scope = NewDisposeScope();
            var logits = model.Forward(tensor(sequence.Select(t => (long)t).ToArray(), [1, sequence.Count]));
            total += logits[0, sequence.Count - 1].log_softmax(-1)[token].item<float>();
            sequence.Add(token);
        }
        return total;
    }

    [Fact]
    public async Task RewardIsTheInformationGainOverTheTeacherComputedByHand()
    {
        using var dir = new TestDirectory();
        var (data, tokenizer) = TinyCorpus.Build(dir.File("data"));
        using var _ = data;
        using var policy = Model(tokenizer.VocabSize, 1);
        using var objective = new RlpObjective(data.Train, policy, tokenizer, new RlpOptions { ContextTokens = 12, MinContextTokens = 4, ScoredTokens = 2 });
        // Move the teacher away from the policy so the two models really differ.
        using (no_grad()) foreach (var p in objective.Teacher.parameters()) p.add_(0.05);
        var context = new RlContext(policy, tokenizer, CPU, 1.0, 0);
        var prompt = objective.NextPrompt(context);
        var task = (RlpTask)prompt.Task;
        int thinkEnd = tokenizer.TokenToId(SpecialTokens.ThinkEnd)!.Value, think = tokenizer.TokenToId(SpecialTokens.ThinkStart)!.Value;
        var finished = new GenerationResult([5, 6, thinkEnd], [0, 0, 0], "", FinishReason.Stop, prompt.PromptIds.Count);
        var truncated = new GenerationResult([7, 8, 9], [0, 0, 0], "", FinishReason.Length, prompt.PromptIds.Count);
        var batch = new RolloutBatch([new RolloutGroup(prompt, [finished, truncated])]);
        var metrics = await objective.Reward.ScoreAsync(batch, context, default);

        Assert.Equal([.. task.Context, think], prompt.PromptIds);
        Assert.Equal(2, task.Scored.Count);
        double baseline = HandLogLikelihood(objective.Teacher, task.Context, task.Scored);
        double first = HandLogLikelihood(policy, [.. task.Context, think, 5, 6, thinkEnd], task.Scored) - baseline;
        double second = HandLogLikelihood(policy, [.. task.Context, think, 7, 8, 9, thinkEnd], task.Scored) - baseline;
        Assert.Equal(first, batch.Groups[0].Rewards[0], 4);
        Assert.Equal(second, batch.Groups[0].Rewards[1], 4);
        Assert.Equal((first + second) / 2, metrics[InformationGainReward.InformationGain], 4);
        Assert.Equal(2.5, metrics[InformationGainReward.ThoughtLength]);
    }

    [Fact]
    public void TeacherStartsAsThePolicyAndFollowsItByEmaAfterEachUpdate()
    {
        using var dir = new TestDirectory();
        var (data, tokenizer) = TinyCorpus.Build(dir.File("data"));
        using var _ = data;
        using var policy = Model(tokenizer.VocabSize, 2);
        using var objective = new RlpObjective(data.Train, policy, tokenizer, new RlpOptions { EmaDecay = 0.9 });
        var before = objective.Teacher.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        foreach (var (name, weight) in policy.state_dict()) Assert.True(weight.allclose(before[name], rtol: 0, atol: 0), $"{name}: φ must start as θ");
        Assert.All(objective.Teacher.parameters(), p => Assert.False(p.requires_grad));
        using (no_grad()) foreach (var p in policy.parameters()) p.add_(1.0);
        objective.AfterUpdate(new RlContext(policy, tokenizer, CPU, 1.0, 0));
        foreach (var (name, weight) in objective.Teacher.named_parameters())
            Assert.True(weight.allclose(0.9 * before[name] + 0.1 * (before[name] + 1.0), rtol: 0, atol: 1e-6), $"{name}: φ ← τφ + (1 − τ)θ");
    }

    [Fact]
    public void GrpoOnRlpTrainsOnlyThePolicyAndResumesWithTheTeacherExactly()
    {
        using var dir = new TestDirectory();
        var (data, tokenizer) = TinyCorpus.Build(dir.File("data"));
        using var _ = data;
        var config = new GrpoConfig
        {
            NumGenerations = 4, PromptsPerStep = 2, MaxCompletionLength = 3, LearningRate = 1e-2, MaxSteps = 4, SaveEvery = 0,
            LogCompletionsEvery = 0, MicroBatchSize = 8, AdvantageEstimator = "rloo",
        };
        var options = new RlpOptions { ContextTokens = 12, MinContextTokens = 4, EmaDecay = 0.5 };
        (RunResult Result, Dictionary<string, Tensor> Teacher) Train(string run, bool resume, Action<StepReport>? onStep = null, CancellationToken cancellation = default)
        {
            using var policy = Model(tokenizer.VocabSize, 3);
            using var objective = new RlpObjective(data.Train, policy, tokenizer, options);
            using var algorithm = new GrpoAlgorithm(config, policy, tokenizer, objective, CPU);
            var result = new TrainingRun(dir.File(run)) { OnStep = onStep }.Run(algorithm, resume, cancellation);
            Assert.All(objective.Teacher.parameters(), p => Assert.Null(p.grad));
            return (result, objective.Teacher.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone()));
        }

        var (_, straightTeacher) = Train("straight", resume: false);
        using var cancel = new CancellationTokenSource();
        Assert.True(Train("resumed", false, s => { if (s.Step == 2) cancel.Cancel(); }, cancel.Token).Result.Interrupted);
        var (resumed, resumedTeacher) = Train("resumed", resume: true);
        Assert.Equal(4, resumed.Steps);
        foreach (var (name, weight) in straightTeacher)
            Assert.True(weight.allclose(resumedTeacher[name], rtol: 0, atol: 1e-6), $"teacher {name} differs after resume");
        var expected = MetricsWriter.Read(Path.Combine(dir.File("straight"), MetricsWriter.FileName));
        var actual = MetricsWriter.Read(Path.Combine(dir.File("resumed"), MetricsWriter.FileName));
        Assert.Equal(expected.Select(m => Math.Round(m["reward"].GetDouble(), 5)), actual.Select(m => Math.Round(m["reward"].GetDouble(), 5)));
        Assert.True(expected[0].ContainsKey(InformationGainReward.InformationGain));
        Assert.True(File.Exists(Path.Combine(RunCheckpoints.Latest(dir.File("resumed"))!, RunCheckpoints.ModulesFolder, "teacher.safetensors")));
    }

    [Fact]
    public void EvaluationScoresGreedyThoughtsAtHeldOutPositionsAgainstTheSameModelWithoutOne()
    {
        using var dir = new TestDirectory();
        var (data, tokenizer) = TinyCorpus.Build(dir.File("data"));
        using var _ = data;
        using var model = Model(tokenizer.VocabSize, 4);
        var rlp = new RlpOptions { ContextTokens = 12, MinContextTokens = 4, ScoredTokens = 2 };
        var options = new EvaluationOptions { Objectives = ["rlp"], Tasks = 3, Decoding = EvaluationDecoding.Greedy(3), PerplexityWindows = 0, Arithmetic = null, Seed = 7 };
        var result = CheckpointEvaluation.Run("m", model, tokenizer, data, RewardRegistry.Compose(new Dictionary<string, double> { ["prefix"] = 1 }), options,
            type => type == typeof(RlpOptions) ? rlp : ObjectiveSetup.Defaults(type));

        var section = Assert.Single(result.Objectives!);
        Assert.Null(result.NextSegment);
        var metric = section.Metrics.ToDictionary(m => m.Name, m => m.PerItem);
        var positions = new RlpPositions(data.Validation, rlp with { Seed = 7 });
        int think = tokenizer.TokenToId(SpecialTokens.ThinkStart)!.Value, thinkEnd = tokenizer.TokenToId(SpecialTokens.ThinkEnd)!.Value;
        for (int i = 0; i < 3; i++)
        {
            var task = positions.Draw(i);
            Assert.Equal($"{task.Document}:{task.Position}", section.Items[i]);
            var thought = HandGreedyThought(model, [.. task.Context, think], thinkEnd, maxTokens: 3);
            double baseline = HandLogLikelihood(model, task.Context, task.Scored);
            double reasoned = HandLogLikelihood(model, [.. task.Context, think, .. thought, thinkEnd], task.Scored);
            Assert.Equal(baseline, metric["baseline_log_likelihood"][i], 4);
            Assert.Equal(reasoned - baseline, metric["information_gain"][i], 4);
            Assert.Equal(thought.Count, metric["thought_tokens"][i]);
            Assert.Equal(reasoned > baseline ? 1 : 0, metric["positive_gain_rate"][i]);
        }
    }

    /// <summary>Greedy decoding by hand: the argmax token until &lt;/think&gt; (not part of the thought) or the limit.</summary>
    private static List<int> HandGreedyThought(CausalLM model, IReadOnlyList<int> prompt, int thinkEnd, int maxTokens)
    {
        using var guard = no_grad();
        var sequence = prompt.ToList();
        var thought = new List<int>();
        for (int n = 0; n < maxTokens; n++)
        {
            using var scope = NewDisposeScope();
            var logits = model.Forward(tensor(sequence.Select(t => (long)t).ToArray(), [1, sequence.Count]));
            int next = (int)logits[0, sequence.Count - 1].argmax().item<long>();
            if (next == thinkEnd) break;
            thought.Add(next);
            sequence.Add(next);
        }
        return thought;
    }
}
