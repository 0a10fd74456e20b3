using Rlpt.Generation;
using static TorchSharp.torch;

namespace Rlpt.Tests.Generation;

/// <summary>Rows that join a running batch (continuous batching) decode exactly as they would alone.</summary>
public sealed class DecodingBatchTests(GenerationFixture fixture) : IClassFixture<GenerationFixture>
{
    private const string Long = "Finn counts ten numbers. Dan draws a map of the town and";

    private GenerationRequest Request(string prompt, int tokens, double temperature = 0, int? seed = null) =>
        new(fixture.Encode(prompt), new SamplingOptions { MaxNewTokens = tokens, Temperature = temperature, Seed = seed, StopAtEndOfText = false });

    private GenerationResult Alone(GenerationRequest request) => new BatchGenerator(fixture.Model, fixture.Tokenizer).Generate([request])[0];

    /// <param name="maxRows">0: the cache grows its rows as they join; 8: they join into rows it made room for.</param>
    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    public void RowsJoiningMidRunWithShorterAndLongerPromptsDecodeAsAlone(int maxRows)
    {
        var requests = new[]
        {
            Request("Ada reads", 30),            // padded to the long prompt it starts with, then outlives it
            Request(Long, 5),
            Request(Long + " the river by the old mill", 6), // after 2 steps: longer than the batch, which is padded to it
            Request("Eve", 12),                  // after 4 steps: shorter than the batch, left-padded to it
            Request("Ben writes the map.", 40, temperature: 1.0, seed: 7), // after 9, sampled: outgrows the capacity,
                                                 // so the cache is re-laid without the padding every row then shares
        };
        var joinAt = new[] { 0, 0, 2, 4, 9 };
        var results = new GenerationResult?[requests.Length];
        var tokens = requests.Select(_ => new List<int>()).ToArray();
        var generator = new BatchGenerator(fixture.Model, fixture.Tokenizer) { OnToken = (row, token) => tokens[row].Add(token) };
        using var batch = generator.NewBatch((row, result) => results[row] = result, maxRows);
        for (int step = 0; results.Any(r => r is null); step++)
        {
            var joining = Enumerable.Range(0, requests.Length).Where(i => joinAt[i] == step).Select(i => (i, requests[i])).ToArray();
            // Little capacity, so later rows force the cache to be re-laid (and its shared padding dropped).
            batch.Admit(joining, capacity: 1);
            batch.Step();
            Assert.True(step < 100, "the batch never finished");
        }
        for (int i = 0; i < requests.Length; i++)
        {
            var alone = Alone(requests[i]);
            Assert.Equal(alone.TokenIds, results[i]!.TokenIds);
            Assert.Equal(alone.TokenIds, tokens[i]);
            Assert.Equal(alone.Text, results[i]!.Text);
            for (int t = 0; t < alone.LogProbs.Count; t++) Assert.Equal(alone.LogProbs[t], results[i]!.LogProbs[t], 3);
        }
    }

    [Fact]
    public void CapacityCountsTheLongestRowAfterItsSharedPaddingIsDropped()
    {
        var generator = new BatchGenerator(fixture.Model, fixture.Tokenizer);
        using var batch = generator.NewBatch((_, _) => { });
        var longRow = Request(Long, 5);
        var shortRow = Request("Eve", 40);
        Assert.Equal(fixture.Encode(Long).Count + 5, batch.CapacityWith([longRow]));
        batch.Admit([(0, longRow), (1, shortRow)], capacity: 1);
        batch.Step();
        // The long row has 4 tokens left, the short one 39, at a length of prompt + 1.
        Assert.Equal(fixture.Encode(Long).Count + 1 + 39, batch.CapacityWith([]));
        for (int i = 0; i < 5; i++) batch.Step();
        Assert.Equal(1, batch.Running);
        // With the long row gone, only the short row's own columns count: its prompt and 6 tokens, plus 34 to come.
        Assert.Equal(fixture.Encode("Eve").Count + 6 + 34, batch.CapacityWith([]));
    }

    [Fact]
    public void TopAndPromptLogProbsMatchAFullForward()
    {
        var prompt = fixture.Encode("Ben writes the map. Cleo");
        var options = new SamplingOptions { MaxNewTokens = 6, Temperature = 0.8, Seed = 4, StopAtEndOfText = false, TopLogProbs = 3, PromptLogProbs = 2 };
        // Joined by a row of another length, so the scored row is padded.
        var results = new BatchGenerator(fixture.Model, fixture.Tokenizer).Generate([new GenerationRequest(prompt, options), Request(Long, 3)]);
        var result = results[0];
        using var scope = NewDisposeScope();
        using var guard = no_grad();
        var ids = tensor(prompt.Concat(result.TokenIds).Select(t => (long)t).ToArray()).unsqueeze(0);
        var logProbs = (fixture.Model.Forward(ids)[0] / 0.8).log_softmax(-1);
        Assert.Equal(prompt.Count - 1, result.PromptLogProbs!.Count);
        for (int t = 1; t < prompt.Count; t++)
        {
            var scored = result.PromptLogProbs[t - 1];
            Assert.Equal(prompt[t], scored.TokenId);
            Assert.Equal(logProbs[t - 1, prompt[t]].item<float>(), scored.LogProb, 3);
            Assert.Equal(logProbs[t - 1].gt(logProbs[t - 1, prompt[t]]).sum().item<long>() + 1, scored.Rank);
            Assert.Equal(2, scored.Top.Count);
            Assert.Equal(logProbs[t - 1].argmax().item<long>(), scored.Top[0].TokenId);
        }
        Assert.Equal(result.TokenIds.Count, result.TopLogProbs!.Count);
        for (int t = 0; t < result.TokenIds.Count; t++)
        {
            var row = logProbs[prompt.Count - 1 + t];
            var (values, indexes) = row.topk(3);
            Assert.Equal(indexes.data<long>().Select(i => (int)i), result.TopLogProbs[t].Select(x => x.TokenId));
            Assert.Equal(values[0].item<float>(), result.TopLogProbs[t][0].LogProb, 3);
            Assert.True(result.TopLogProbs[t][0].LogProb >= result.LogProbs[t] - 1e-4);
        }
        Assert.Null(results[1].TopLogProbs);
        Assert.Null(results[1].PromptLogProbs);
    }
}
