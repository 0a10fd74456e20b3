using Rlpt.Modeling;
using Rlpt.Tokenization;
using Rlpt.Training.Dpo;
using Rlpt.Training.Runs;
using Rlpt.Telemetry;
using Rlpt.Tests.Objectives.Rlpt;
using static TorchSharp.torch;

namespace Rlpt.Tests.Training.Dpo;

public sealed class DpoTests(RlptTestCorpus corpus) : IClassFixture<RlptTestCorpus>
{
    /// <summary>h = (−1 − −2) − (−3 − −2.5) = 1.5; sigmoid: −log σ(0.1·1.5) = 0.62096…; IPO: (1.5 − 5)² = 12.25.</summary>
    [Fact]
    public void LossesAndImplicitRewardsMatchAHandComputation()
    {
        var (pc, pr, rc, rr) = (tensor(new[] { -1f, -4f }), tensor(new[] { -3f, -1f }), tensor(new[] { -2f, -4f }), tensor(new[] { -2.5f, -1f }));
        var (sigmoid, chosen, rejected) = DpoLoss.Compute(pc, pr, rc, rr, 0.1, DpoLoss.Sigmoid);
        Assert.Equal(-Math.Log(1 / (1 + Math.Exp(-0.15))), sigmoid[0].item<float>(), 5);
        Assert.Equal(Math.Log(2), sigmoid[1].item<float>(), 5); // equal log-ratios: h = 0
        Assert.Equal(0.1, chosen[0].item<float>(), 5);
        Assert.Equal(-0.05, rejected[0].item<float>(), 5);
        var (ipo, _, _) = DpoLoss.Compute(pc, pr, rc, rr, 0.1, DpoLoss.Ipo);
        Assert.Equal(12.25, ipo[0].item<float>(), 4);
        Assert.Equal(25, ipo[1].item<float>(), 4);
        Assert.Throws<ArgumentException>(() => DpoLoss.Compute(pc, pr, rc, rr, 0.1, "hinge"));
    }

    [Fact]
    public void TheThreeLayoutsOfTrlAreRead()
    {
        var lines = string.Join("\n",
            """{"prompt": "Q: 2+2?\nA:", "chosen": " 4", "rejected": " 5"}""",
            "",
            """{"prompt": [{"role": "user", "content": "Hi"}], "chosen": [{"role": "assistant", "content": "Hello!"}], "rejected": "Go away."}""",
            """{"chosen": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}], "rejected": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "No."}]}""");
        var pairs = PreferenceReader.Read(new StringReader(lines), "prefs.jsonl");
        Assert.Equal(new PreferencePair("Q: 2+2?\nA:", " 4", " 5"), pairs[0]);
        string chatPrompt = ChatFormat.Prompt([new ChatMessage("user", "Hi")]);
        Assert.Equal(new PreferencePair(chatPrompt, "Hello!" + SpecialTokens.ImEnd, "Go away." + SpecialTokens.ImEnd), pairs[1]);
        Assert.Equal(new PreferencePair(chatPrompt, "Hello!" + SpecialTokens.ImEnd, "No." + SpecialTokens.ImEnd), pairs[2]);
    }

    [Theory]
    [InlineData("""{"prompt": "x", "chosen": "a"}""", "prefs.jsonl:1: expected an object with \"chosen\" and \"rejected\"")]
    [InlineData("""{"prompt": "x", "chosen": "a", "rejected": "a"}""", "prefs.jsonl:1: chosen and rejected are the same answer")]
    [InlineData("""{"prompt": [{"role": "user", "content": "x"}], "chosen": [{"role": "user", "content": "a"}], "rejected": "b"}""", "expected exactly one assistant message")]
    [InlineData("""{"chosen": [{"role": "user", "content": "x"}, {"role": "assistant", "content": "a"}], "rejected": [{"role": "user", "content": "y"}, {"role": "assistant", "content": "b"}]}""", "must share every message but the last")]
    [InlineData("""{"prompt": [{"role": "user", "content": "x<|im_end|>"}], "chosen": "a", "rejected": "b"}""", "content contains")]
    [InlineData("not json", "prefs.jsonl:1: invalid JSON")]
    [InlineData("", "prefs.jsonl: no preference pairs")]
    public void BadLinesAreRefusedNamingTheLine(string line, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => PreferenceReader.Read(new StringReader(line), "prefs.jsonl"));
        Assert.Contains(expected, error.Message);
    }

    /// <summary>Both sides' summed log-probs equal a plain full forward's, with the prompt shared or not.</summary>
    [Fact]
    public void SequenceLogProbsEqualAFullForwardSharedOrNot()
    {
        using var model = TinyModel(seed: 4);
        var pairs = new[] { new PreferencePair("On day 3 the", " old ferryman", " harbour pilot counted"), new PreferencePair("the village baker", " sorted the seeds", " walked") };
        var encoded = pairs.Select(p => (Prompt: corpus.Tokenizer.Encode(p.Prompt).ToArray(), Chosen: corpus.Tokenizer.Encode(p.Chosen).ToArray(), Rejected: corpus.Tokenizer.Encode(p.Rejected).ToArray())).ToArray();
        foreach (bool share in new[] { true, false })
        {
            using var algorithm = new DpoAlgorithm(new DpoConfig { SharePrefix = share }, model, corpus.Tokenizer, pairs, CPU);
            using var noGrad = no_grad();
            var (chosen, rejected, _, _) = algorithm.SequenceLogProbs(model, encoded);
            for (int i = 0; i < pairs.Length; i++)
            {
                Assert.Equal(FullForward(model, encoded[i].Prompt, encoded[i].Chosen), chosen[i].item<float>(), 3);
                Assert.Equal(FullForward(model, encoded[i].Prompt, encoded[i].Rejected), rejected[i].item<float>(), 3);
            }
        }
    }

    /// <summary>
    /// Pairs that prefer one continuation of a prompt over another: DPO must make the policy rank them so (accuracy and
    /// margin rise) while the reference stays the starting policy; on held-out prompts of the same kind the preference
    /// must carry over.
    /// </summary>
    [Theory]
    [InlineData(DpoLoss.Sigmoid)]
    [InlineData(DpoLoss.Ipo)]
    public void DpoMakesThePolicyPreferTheChosenAnswers(string lossType)
    {
        using var model = TinyModel(seed: 5);
        string[] subjects = ["old ferryman", "village baker", "young surveyor", "lighthouse keeper", "quiet librarian", "travelling tinker", "harbour pilot"];
        PreferencePair Pair(int day, string subject) => new($"On day {day} the {subject}", " mended the nets.", " painted the shutters.");
        var train = Enumerable.Range(1, 12).SelectMany(d => subjects.Take(5).Select(s => Pair(d, s))).ToArray();
        var heldOut = Enumerable.Range(13, 4).SelectMany(d => subjects.Skip(5).Select(s => Pair(d, s))).ToArray();
        using var dir = new TestDirectory();
        var config = new DpoConfig { LossType = lossType, Beta = 0.1, LearningRate = 3e-3, BatchSize = 8, Epochs = 3, SaveEvery = 0 };
        using var algorithm = new DpoAlgorithm(config, model, corpus.Tokenizer, train, CPU);
        var encodedHeldOut = heldOut.Select(p => (corpus.Tokenizer.Encode(p.Prompt).ToArray(), corpus.Tokenizer.Encode(p.Chosen).ToArray(), corpus.Tokenizer.Encode(p.Rejected).ToArray())).ToArray();
        double Preference()
        {
            using var noGrad = no_grad();
            var (chosen, rejected, _, _) = algorithm.SequenceLogProbs(model, encodedHeldOut);
            return (chosen - rejected).mean().item<float>();
        }
        double before = Preference();
        var referenceBefore = algorithm.Modules["reference"].parameters().First().clone();
        new TrainingRun(dir.Path).Run(algorithm, resume: false);
        var metrics = MetricsWriter.Read(Path.Combine(dir.Path, MetricsWriter.FileName));
        Assert.Equal(algorithm.MaxSteps, metrics.Count);
        Assert.Equal(0, metrics[0]["rewards/margins"].GetDouble(), 5); // the policy starts as its reference
        Assert.True(metrics.TakeLast(3).All(m => m["rewards/accuracies"].GetDouble() == 1), "the last steps should rank every pair right");
        Assert.True(metrics[^1]["rewards/margins"].GetDouble() > 0.2, $"margin {metrics[^1]["rewards/margins"].GetDouble()}");
        Assert.True(metrics[^1]["loss"].GetDouble() < metrics[0]["loss"].GetDouble(), "the loss should fall");
        Assert.True(Preference() > before + 2, $"held-out preference log π(chosen) − log π(rejected) {before:F2} → {Preference():F2}");
        Assert.True(referenceBefore.allclose(algorithm.Modules["reference"].parameters().First(), rtol: 0, atol: 0), "the reference must stay frozen");
    }

    private CausalLM TinyModel(int seed)
    {
        var model = new CausalLM(new ModelConfig { VocabSize = corpus.Tokenizer.VocabSize, HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 2, NumAttentionHeads = 4, NumKeyValueHeads = 2, MaxPositionEmbeddings = 128 });
        model.InitializeWeights(seed);
        return model;
    }

    private static double FullForward(CausalLM model, int[] prompt, int[] completion)
    {
        using var scope = NewDisposeScope();
        var ids = prompt.Concat(completion).Select(t => (long)t).ToArray();
        var logProbs = model.Forward(tensor(ids, [1, ids.Length])).log_softmax(-1)[0];
        double sum = 0;
        for (int j = 0; j < completion.Length; j++) sum += logProbs[prompt.Length - 1 + j, completion[j]].item<float>();
        return sum;
    }
}
