using Rlpt.Generation;
using Rlpt.Interop.HuggingFace;
using static TorchSharp.torch;

namespace Rlpt.Tests.Generation;

public sealed class BatchGeneratorTests(GenerationFixture fixture) : IClassFixture<GenerationFixture>
{
    private static readonly string[] Prompts = ["Ada reads", "Ben writes the map. Cleo", "Eve", "Finn counts ten numbers. Dan draws a"];

    private BatchGenerator Generator => new(fixture.Model, fixture.Tokenizer);

    private GenerationRequest Request(string prompt, SamplingOptions options) => new(fixture.Encode(prompt), options);

    [Fact]
    public void BatchedGreedyDecodingEqualsOneSequenceAtATime()
    {
        var options = new SamplingOptions { MaxNewTokens = 20, Temperature = 0, StopAtEndOfText = false };
        var batched = Generator.Generate(Prompts.Select(p => Request(p, options)).ToArray());
        for (int i = 0; i < Prompts.Length; i++)
        {
            var single = Generator.Generate([Request(Prompts[i], options)])[0];
            Assert.Equal(single.TokenIds, batched[i].TokenIds);
            Assert.Equal(20, batched[i].TokenIds.Count);
            Assert.Equal(FinishReason.Length, batched[i].FinishReason);
        }
    }

    [Fact]
    public void LogProbsEqualTheModelsDistributionOverTheFullSequence()
    {
        var options = new SamplingOptions { MaxNewTokens = 12, Temperature = 0.7, Seed = 3, StopAtEndOfText = false };
        var prompt = fixture.Encode(Prompts[1]);
        var result = Generator.Generate([new GenerationRequest(prompt, options)])[0];
        using var scope = NewDisposeScope();
        using var guard = no_grad();
        var ids = tensor(prompt.Concat(result.TokenIds).Select(t => (long)t).ToArray()).unsqueeze(0);
        var logProbs = (fixture.Model.Forward(ids)[0] / 0.7).log_softmax(-1);
        for (int t = 0; t < result.TokenIds.Count; t++)
        {
            float expected = logProbs[prompt.Count - 1 + t, result.TokenIds[t]].item<float>();
            Assert.True(Math.Abs(expected - result.LogProbs[t]) < 1e-4, $"token {t}: {result.LogProbs[t]} vs recomputed {expected}");
        }
    }

    [Fact]
    public void ASeededRequestSamplesTheSameWhateverBatchItJoins()
    {
        var seeded = new SamplingOptions { MaxNewTokens = 16, Temperature = 1.0, TopK = 50, TopP = 0.9, Seed = 77, StopAtEndOfText = false };
        var alone = Generator.Generate([Request(Prompts[0], seeded)])[0];
        var others = Prompts.Skip(1).Select((p, i) => Request(p, seeded with { Seed = i, MaxNewTokens = 3 + 5 * i })).ToList();
        others.Insert(2, Request(Prompts[0], seeded));
        var inBatch = Generator.Generate(others)[2];
        Assert.Equal(alone.TokenIds, inBatch.TokenIds);
        var differentSeed = Generator.Generate([Request(Prompts[0], seeded with { Seed = 78 })])[0];
        Assert.NotEqual(alone.TokenIds, differentSeed.TokenIds);
    }

    [Fact]
    public void TopKOneIsGreedy()
    {
        var greedy = Generator.Generate([Request(Prompts[3], new SamplingOptions { MaxNewTokens = 10, Temperature = 0, StopAtEndOfText = false })])[0];
        var topOne = Generator.Generate([Request(Prompts[3], new SamplingOptions { MaxNewTokens = 10, Temperature = 1.5, TopK = 1, Seed = 5, StopAtEndOfText = false })])[0];
        Assert.Equal(greedy.TokenIds, topOne.TokenIds);
    }

    [Fact]
    public void StopStringEndsTheSequenceAndIsCutFromTheText()
    {
        var options = new SamplingOptions { MaxNewTokens = 30, Temperature = 0, StopAtEndOfText = false };
        var free = Generator.Generate([Request(Prompts[2], options)])[0];
        // Stop at a piece of text the model is known to produce: characters 3..5 of its free-running output.
        Assert.True(free.Text.Length > 6, "the greedy continuation should be long enough to cut");
        string stop = free.Text.Substring(3, 2);
        int cut = free.Text.IndexOf(stop, StringComparison.Ordinal);
        var stopped = Generator.Generate([Request(Prompts[2], options with { StopStrings = [stop] })])[0];
        Assert.Equal(FinishReason.Stop, stopped.FinishReason);
        Assert.Equal(free.Text[..cut], stopped.Text);
        Assert.True(stopped.TokenIds.Count < free.TokenIds.Count);
        Assert.Equal(free.TokenIds.Take(stopped.TokenIds.Count), stopped.TokenIds);
    }

    [Fact]
    public void RowsFinishingEarlyDoNotDisturbTheOthers()
    {
        // Mixed lengths force the batch to shrink (cache compaction) while the longest rows continue.
        var requests = Prompts.Select((p, i) => Request(p, new SamplingOptions { MaxNewTokens = 2 + 6 * i, Temperature = 0, StopAtEndOfText = false })).ToArray();
        var batched = Generator.Generate(requests);
        for (int i = 0; i < requests.Length; i++)
        {
            Assert.Equal(requests[i].Options.MaxNewTokens, batched[i].TokenIds.Count);
            Assert.Equal(Generator.Generate([requests[i]])[0].TokenIds, batched[i].TokenIds);
        }
    }

    [Fact]
    public void AnEndOfSequenceTokenStopsAndIsLeftOutOfTheText()
    {
        var options = new SamplingOptions { MaxNewTokens = 12, Temperature = 0, StopAtEndOfText = false };
        var free = Generator.Generate([Request(Prompts[1], options)])[0];
        // Declare a token that greedy decoding is known to emit as the model's end-of-sequence id.
        int k = Enumerable.Range(2, free.TokenIds.Count - 2).First(i => !free.TokenIds.Take(i).Contains(free.TokenIds[i]));
        int end = free.TokenIds[k];
        var config = fixture.Model.Config with { EosTokenIdRaw = System.Text.Json.JsonSerializer.SerializeToElement(new[] { end }) };
        using var model = new Rlpt.Modeling.CausalLM(config);
        ModelFolder.LoadWeights(model, fixture.Model.state_dict(), "fixture");
        model.eval();
        var stopped = new BatchGenerator(model, fixture.Tokenizer).Generate([Request(Prompts[1], options with { StopAtEndOfText = true })])[0];
        Assert.Equal(FinishReason.Stop, stopped.FinishReason);
        Assert.Equal(free.TokenIds.Take(k + 1), stopped.TokenIds);
        Assert.Equal(fixture.Tokenizer.Decode(free.TokenIds.Take(k)), stopped.Text);
    }

    [Fact]
    public void InvalidRequestsAreRejectedWithClearMessages()
    {
        Assert.Contains("temperature", Assert.Throws<ArgumentException>(() => Generator.Generate([Request("a", new SamplingOptions { Temperature = -1 })])).Message);
        Assert.Contains("top_p", Assert.Throws<ArgumentException>(() => Generator.Generate([Request("a", new SamplingOptions { TopP = 0 })])).Message);
        Assert.Contains("context", Assert.Throws<ArgumentException>(() => Generator.Generate([Request("a", new SamplingOptions { MaxNewTokens = 1000 })])).Message);
        Assert.Throws<ArgumentException>(() => Generator.Generate([new GenerationRequest([], new SamplingOptions())]));
    }

    [Fact]
    public void SharedPrefillsSampleTheSameTokensAndLogProbsAsOnePrefillPerRequest()
    {
        // G = 4 seeded samples of each of three prompts of different lengths, as GRPO asks for them, and one lone prompt.
        var requests = Prompts.Take(3).SelectMany((p, i) =>
        {
            var ids = fixture.Encode(p);
            return Enumerable.Range(0, 4).Select(g => new GenerationRequest(ids, new SamplingOptions { MaxNewTokens = 12, Temperature = 1.0, Seed = 10 * i + g }));
        }).Append(Request(Prompts[3], new SamplingOptions { MaxNewTokens = 5, Temperature = 0 })).ToArray();
        var shared = Generator.Generate(requests);
        var unshared = new BatchGenerator(fixture.Model, fixture.Tokenizer) { SharePrefixes = false }.Generate(requests);
        for (int r = 0; r < requests.Length; r++)
        {
            Assert.Equal(unshared[r].TokenIds, shared[r].TokenIds);
            Assert.Equal(unshared[r].FinishReason, shared[r].FinishReason);
            for (int t = 0; t < shared[r].LogProbs.Count; t++) Assert.Equal(unshared[r].LogProbs[t], shared[r].LogProbs[t], 4);
        }
        Assert.True(shared.Take(12).Select(s => string.Join(",", s.TokenIds)).Distinct().Count() > 6, "the samples of a prompt should differ");
    }
}
