using Rlpt.Generation;
using Rlpt.Serving;

namespace Rlpt.Tests.Serving;

/// <summary>The engine's schedulers: with continuous batching a short request no longer waits for a long one.</summary>
public sealed class ContinuousBatchingTests(ServingFixture fixture) : IClassFixture<ServingFixture>
{
    [Theory]
    [InlineData(EngineOptions.ContinuousScheduler)]
    [InlineData(EngineOptions.StaticScheduler)]
    public async Task AShortRequestArrivingMidBatchFinishesFirstOnlyWithContinuousBatching(string scheduler)
    {
        int tokens = 0;
        await using var engine = new BatchingEngine(fixture.Generation.Model, fixture.Generation.Tokenizer, new EngineOptions
        {
            Scheduler = scheduler,
            AfterToken = () => { Interlocked.Increment(ref tokens); Thread.Sleep(5); },
        });
        var longOptions = new SamplingOptions { MaxNewTokens = 120, Temperature = 0, StopAtEndOfText = false };
        var shortOptions = new SamplingOptions { MaxNewTokens = 4, Temperature = 0.9, Seed = 5, StopAtEndOfText = false };
        var longPrompt = fixture.Generation.Encode("Ada reads");
        var shortPrompt = fixture.Generation.Encode("Finn counts ten numbers. Dan draws a");
        var longRow = engine.Submit(new GenerationRequest(longPrompt, longOptions));
        while (Volatile.Read(ref tokens) < 10) await Task.Delay(2);
        var shortRow = engine.Submit(new GenerationRequest(shortPrompt, shortOptions));
        var first = await Task.WhenAny(longRow.Result, shortRow.Result);
        Assert.Equal(scheduler == EngineOptions.ContinuousScheduler ? shortRow.Result : longRow.Result, first);
        // Either way each row decodes as it would alone.
        Assert.Equal(fixture.Alone(longPrompt, longOptions).TokenIds, (await longRow.Result).TokenIds);
        Assert.Equal(fixture.Alone(shortPrompt, shortOptions).TokenIds, (await shortRow.Result).TokenIds);
        Assert.Equal(2, engine.Batches);
    }
}
