using Rlpt.Generation;
using Rlpt.Modeling;
using Rlpt.Objectives.PretrainZero;
using Rlpt.Objectives.Rlpt;
using Rlpt.Tests.Objectives.Rlpt;
using Rlpt.Tokenization;
using Rlpt.Training.Rl;
using static TorchSharp.torch;

namespace Rlpt.Tests.Objectives.PretrainZero;

public sealed class PretrainZeroTests(RlptTestCorpus corpus) : IClassFixture<RlptTestCorpus>
{
    private const string Passage = "The cat sat on the mat. The dog sat on the rug. A bird sang.";
    private readonly PretrainZeroOptions options = new();

    [Fact]
    public void AValidSpanIsMaskedAtEveryOccurrence()
    {
        var (mask, verdict) = SpanMasking.Check(Passage, "  sat on the ", corpus.Tokenizer, options);
        Assert.Equal(SpanVerdict.Valid, verdict);
        Assert.Equal("sat on the", mask!.Span);
        Assert.Equal(2, mask.Occurrences);
        Assert.Equal("The cat <MASK> mat. The dog <MASK> rug. A bird sang.", mask.Masked);
    }

    [Theory]
    [InlineData(null, SpanVerdict.Missing)]
    [InlineData("   ", SpanVerdict.Empty)]
    [InlineData("the cat", SpanVerdict.NotInPassage)] // ordinal: the passage has "The cat"
    [InlineData("sat on the mat and", SpanVerdict.NotInPassage)]
    [InlineData("The cat sat on the mat. The dog sat on the rug. A bird sang.", SpanVerdict.WholePassage)]
    public void InvalidSpansAreRejectedWithTheirReason(string? span, SpanVerdict expected) =>
        Assert.Equal(expected, SpanMasking.Check(Passage, span, corpus.Tokenizer, options).Verdict);

    [Fact]
    public void SpansOccurringEightTimesAreRejectedAndSevenAreNot()
    {
        string Repeated(int n) => string.Join(" ", Enumerable.Repeat("go", n)) + " home now";
        // "go" occurs n times; "go go" n − 1 times (overlapping occurrences count).
        Assert.Equal(SpanVerdict.Valid, SpanMasking.Check(Repeated(7), "go", corpus.Tokenizer, options).Verdict);
        Assert.Equal(SpanVerdict.TooFrequent, SpanMasking.Check(Repeated(8), "go", corpus.Tokenizer, options).Verdict);
        Assert.Equal(7, SpanMasking.Occurrences(Repeated(8), "go go"));
        Assert.Equal(SpanVerdict.Valid, SpanMasking.Check(Repeated(8), "go go", corpus.Tokenizer, options).Verdict);
        Assert.Equal(SpanVerdict.TooFrequent, SpanMasking.Check(Repeated(4), "go", corpus.Tokenizer, options with { MaxOccurrences = 4 }).Verdict);
    }

    [Fact]
    public void SpansLongerThanTheTokenLimitAreRejected()
    {
        string span = "The cat sat on the mat.";
        int tokens = corpus.Tokenizer.Encode(span).Count;
        Assert.Equal(SpanVerdict.Valid, SpanMasking.Check(Passage, span, corpus.Tokenizer, options with { MaxSpanTokens = tokens }).Verdict);
        Assert.Equal(SpanVerdict.TooLong, SpanMasking.Check(Passage, span, corpus.Tokenizer, options with { MaxSpanTokens = tokens - 1 }).Verdict);
    }

    [Theory]
    [InlineData(@"\mask{sat on}<|im_end|>", "sat on")]
    [InlineData(@"\mask{draft}<think>x</think>\mask{final one}", "final one")]
    [InlineData(@"\mask{first} then \mask{second}", "second")]
    [InlineData(@"<think>\mask{only a draft}</think> no answer", null)]
    [InlineData(@"\mask{cut off", null)]
    [InlineData("no span at all", null)]
    public void TheGeneratorsSpanIsTheLastMaskAfterReasoning(string completion, string? expected) =>
        Assert.Equal(expected, SpanAnswers.Span(completion));

    [Theory]
    [InlineData(@"\boxed{The Cat.}", "the cat", true)]
    [InlineData(@"\boxed{  the   cat }", "The cat", true)]
    [InlineData("\\boxed{\"the cat!\"}", "the cat", true)]
    [InlineData(@"\boxed{the cats}", "the cat", false)]
    [InlineData(@"\boxed{cat the}", "the cat", false)]
    [InlineData(@"\boxed{ . }", ".", false)]
    [InlineData(@"\boxed{ｔｈｅ cat}", "the cat", true)] // NFKC folds full-width letters
    [InlineData("the cat", "the cat", false)] // no \boxed{}: no answer
    public void PredictionsMatchAfterTheDocumentedNormalisation(string completion, string span, bool expected) =>
        Assert.Equal(expected, SpanAnswers.Matches(SpanAnswers.Prediction(completion), span));

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(0.125, 0.875)]
    [InlineData(0.5, 0.5)]
    [InlineData(1.0, 0.0)]
    public void TheGeneratorEarnsOneMinusAccuracyButNothingForAnUnanswerableMask(double accuracy, double expected) =>
        Assert.Equal(expected, PretrainZeroReward.GeneratorReward(accuracy), 12);

    /// <summary>
    /// One generator group of 4 proposals on one passage: two valid spans, one not in the passage, one without \mask{}.
    /// The predictor's rollouts are scripted (3 of 4 right on the first mask, none on the second), so every number the
    /// reward writes can be worked out by hand.
    /// </summary>
    [Fact]
    public async Task BothRolesAreScoredAndThePredictorGroupsJoinTheBatch()
    {
        var task = new MaskGenerationTask(7, Passage);
        var generatorPrompt = new RolloutPrompt([1, 2, 3], [SpecialTokens.ImEnd], task, new Dictionary<string, string>());
        var group = new RolloutGroup(generatorPrompt, [Result(@"\mask{sat on}"), Result(@"\mask{bird sang}"), Result(@"\mask{the horse}"), Result("sat on")]);
        var batch = new RolloutBatch([group]);
        var seen = new List<GenerationRequest>();
        var reward = new PretrainZeroReward(options)
        {
            Generate = (_, requests, _) =>
            {
                seen.AddRange(requests);
                // Requests come mask by mask, G each: mask 1 ("sat on") then mask 2 ("bird sang").
                return requests.Select((r, i) => Result(i < 4 ? (i < 3 ? @"\boxed{Sat on}" : @"\boxed{sat in}") : (i == 4 ? "no answer" : @"\boxed{bird}"))).ToArray();
            },
        };
        using var model = new CausalLM(new ModelConfig { VocabSize = corpus.Tokenizer.VocabSize, HiddenSize = 16, IntermediateSize = 32, NumHiddenLayers = 1, NumAttentionHeads = 2, MaxPositionEmbeddings = 256 });
        var metrics = await reward.ScoreAsync(batch, new RlContext(model, corpus.Tokenizer, CPU, 1.0, 0), default);

        Assert.Equal([0.25, 0, 0, 0], group.Rewards);
        Assert.Equal(group.Rewards, group.RewardTerms[PretrainZeroReward.GeneratorTerm]);
        Assert.Equal(3, batch.Groups.Count);
        var (first, second) = (batch.Groups[1], batch.Groups[2]);
        Assert.Equal("sat on", ((MaskPredictionTask)first.Prompt.Task).Mask.Span);
        Assert.Equal("The cat <MASK> the mat. The dog <MASK> the rug. A bird sang.", ((MaskPredictionTask)first.Prompt.Task).Mask.Masked);
        Assert.Equal([1, 1, 1, 0], first.Rewards);
        Assert.Equal([0, 0, 0, 0], second.Rewards);
        Assert.Equal(first.Rewards, first.RewardTerms[PretrainZeroReward.PredictorTerm]);
        Assert.Equal(8, seen.Count);
        Assert.All(seen, r => Assert.Equal(options.AnswerTokens, r.Options.MaxNewTokens));
        Assert.Equal(4, seen.Take(4).Select(r => r.Options.Seed).Distinct().Count());
        Assert.Contains("rug. A <MASK>.", corpus.Tokenizer.Decode(seen[4].PromptIds));

        Assert.Equal(0.5, metrics["pz/mask_valid_rate"], 12);
        Assert.Equal(0.0625, metrics["pz/generator_reward"], 12);
        Assert.Equal(3 / 8.0, metrics["pz/predictor_accuracy"], 12);
        Assert.Equal(7 / 8.0, metrics["pz/answer_rate"], 12);
        Assert.Equal(2, metrics["pz/predictor_groups"]);
        Assert.Equal(0.25, metrics["pz/rejected/not_in_passage"], 12);
        Assert.Equal(0.25, metrics["pz/rejected/missing"], 12);
        Assert.Equal(0, metrics["pz/rejected/too_frequent"]);
        // The filter stage drops the predictor group that is all wrong (no signal) and keeps the other two.
        Assert.Equal([true, true, false], batch.Groups.Select(g => new NonConstantRewardFilter().Keep(g)).ToArray());
    }

    [Fact]
    public void ADerivedGroupMustHoldGCompletions()
    {
        var prompt = new RolloutPrompt([1], [], new object(), new Dictionary<string, string>());
        var batch = new RolloutBatch([new RolloutGroup(prompt, [Result("a"), Result("b")])]);
        Assert.Throws<ArgumentException>(() => batch.Add(new RolloutGroup(prompt, [Result("a")])));
    }

    [Fact]
    public void RandomMasksAreWholeWordsValidAndAPureFunctionOfTheDraw()
    {
        var random = options with { Masks = PretrainZeroOptions.Random };
        for (long draw = 0; draw < 50; draw++)
        {
            var mask = PretrainZeroObjective.RandomMask(Passage, 3, draw, corpus.Tokenizer, random)!;
            Assert.Equal(mask, PretrainZeroObjective.RandomMask(Passage, 3, draw, corpus.Tokenizer, random));
            Assert.Equal(SpanVerdict.Valid, SpanMasking.Check(Passage, mask.Span, corpus.Tokenizer, random).Verdict);
            Assert.InRange(mask.Span.Split(' ').Length, 1, random.MaxSpanWords);
            Assert.Contains(mask.Span.Split(' ')[0], Passage.Split(' '));
        }
        var spans = Enumerable.Range(0, 50).Select(d => PretrainZeroObjective.RandomMask(Passage, 3, d, corpus.Tokenizer, random)!.Span).Distinct().Count();
        Assert.True(spans > 10, $"random masks should vary with the draw ({spans} distinct of 50)");
    }

    [Fact]
    public void NextWordMasksCutThePassageBeforeTheirWord()
    {
        var nextWord = options with { Masks = PretrainZeroOptions.NextWord };
        for (long draw = 0; draw < 30; draw++)
        {
            var mask = PretrainZeroObjective.RandomMask(Passage, 5, draw, corpus.Tokenizer, nextWord)!;
            Assert.EndsWith(SpanMasking.Mask, mask.Masked);
            string shown = mask.Masked[..^SpanMasking.Mask.Length];
            Assert.StartsWith(shown + mask.Span, Passage);
            Assert.NotEqual("", shown.Trim());
            Assert.DoesNotContain(' ', mask.Span);
        }
    }

    [Fact]
    public void TheObjectivePosesGeneratorPromptsOrRandomMasksAndResumesFromItsCount()
    {
        var passages = PretrainZeroObjective.Passages(corpus.Train, corpus.Tokenizer, corpus.Data.Meta.Sources, new RlptTaskOptions { ContextTokens = 48 });
        using var generator = new PretrainZeroObjective(passages, corpus.Tokenizer, options);
        var first = generator.NextPrompt(null!);
        var task = Assert.IsType<MaskGenerationTask>(first.Task);
        Assert.Equal(0, task.Draw);
        Assert.Equal(PretrainZeroObjective.Passage(passages.Draw(0)), task.Passage);
        Assert.Equal(PretrainZeroPrompts.Generator(task.Passage, openThink: false), corpus.Tokenizer.Decode(first.PromptIds));
        Assert.Contains(task.Passage, corpus.Tokenizer.Decode(first.PromptIds));

        using var random = new PretrainZeroObjective(passages, corpus.Tokenizer, options with { Masks = PretrainZeroOptions.Random });
        var prediction = Assert.IsType<MaskPredictionTask>(random.NextPrompt(null!).Task);
        Assert.Contains(SpanMasking.Mask, prediction.Mask.Masked);
        Assert.DoesNotContain(prediction.Mask.Span, prediction.Mask.Masked);
        var state = random.SaveState();
        var next = random.NextPrompt(null!);
        using var resumed = new PretrainZeroObjective(passages, corpus.Tokenizer, options with { Masks = PretrainZeroOptions.Random });
        resumed.RestoreState(state);
        Assert.Equal(next.PromptIds, resumed.NextPrompt(null!).PromptIds);
    }

    [Fact]
    public void TheColdStartTeachesBothFormatsWithTrueSpans()
    {
        var passages = PretrainZeroObjective.Passages(corpus.Train, corpus.Tokenizer, corpus.Data.Meta.Sources, new RlptTaskOptions { ContextTokens = 48 });
        var examples = PretrainZeroSftData.Build(passages, corpus.Tokenizer, options, 20);
        Assert.Equal(20, examples.Count);
        for (int i = 0; i < examples.Count; i++)
        {
            var example = examples[i];
            Assert.EndsWith(SpecialTokens.ImEnd, example.Completion);
            if (i % 2 == 0)
            {
                string span = SpanAnswers.Span(example.Completion)!;
                Assert.Contains("### Passage\n", example.Prompt);
                string passage = example.Prompt.Split("### Passage\n")[1].Split("\n\n### Task")[0];
                Assert.Equal(SpanVerdict.Valid, SpanMasking.Check(passage, span, corpus.Tokenizer, options).Verdict);
            }
            else
            {
                Assert.NotNull(SpanAnswers.Prediction(example.Completion));
                Assert.Contains(SpanMasking.Mask, example.Prompt);
            }
        }
    }

    [Fact]
    public void OptionsAreValidated()
    {
        Assert.Throws<ArgumentException>(() => new PretrainZeroOptions { Masks = "entropy" }.Validate());
        Assert.Throws<ArgumentException>(() => new PretrainZeroOptions { MaxOccurrences = 1 }.Validate());
        Assert.Throws<ArgumentException>(() => new PretrainZeroOptions { MaxSpanTokens = 0 }.Validate());
        new PretrainZeroOptions().Validate();
    }

    private static GenerationResult Result(string text) => new([5, 6], [-0.5f, -0.5f], text, FinishReason.Stop, 3);
}
