using Rlpt.Modeling;
using Rlpt.Rewards;
using Rlpt.Serving;
using Rlpt.Tests.Rewards;

namespace Rlpt.Tests.Serving;

public sealed class InProcessJudgeTests(ServingFixture fixture) : IClassFixture<ServingFixture>
{
    private static readonly RewardInput[] Batch = [Inputs.Make("The jury met.", "The jury met on Monday."), Inputs.Make(null, "Anything.")];

    [Fact]
    public async Task AnInProcessModelAnswersTheJudgesRequestsThroughTheEngine()
    {
        // The judge prompt is longer than the fixture model's context: the same weights with a longer context.
        using var model = new CausalLM(fixture.Generation.Model.Config with { MaxPositionEmbeddings = 1024 });
        model.load_state_dict(fixture.Generation.Model.state_dict());
        model.eval();
        await using var engine = new BatchingEngine(model, fixture.Generation.Tokenizer);
        var judge = JudgeSource.ChatClient("tiny (in process)", new RlptChatClient(engine), new JudgeOptions { Retries = 1 }).Create();
        var scores = await judge.ScoreAsync(Batch, CancellationToken.None);

        // The tiny model's reply is no "Score: 0/1" verdict: both attempts reach the model, then the failure is
        // scored 0 and counted. The missing prediction scores 0 without any request.
        Assert.Equal([0.0, 0.0], scores.Scores);
        Assert.Equal(1, scores.Failures);
        Assert.Equal(2, engine.RowsDecoded);
    }

    [Fact]
    public async Task AJudgeModelWhoseContextIsTooShortCountsFailuresInsteadOfStoppingTheRun()
    {
        await using var engine = new BatchingEngine(fixture.Generation.Model, fixture.Generation.Tokenizer);
        var judge = JudgeSource.ChatClient("tiny (in process)", new RlptChatClient(engine), new JudgeOptions { Retries = 0 }).Create();
        var scores = await judge.ScoreAsync(Batch, CancellationToken.None);
        Assert.Equal([0.0, 0.0], scores.Scores);
        Assert.Equal(1, scores.Failures);
        Assert.Equal(0, engine.RowsDecoded);

        var failing = JudgeSource.ChatClient("tiny (in process)", new RlptChatClient(engine), new JudgeOptions { Retries = 0, OnFailure = JudgeFailurePolicy.Fail }).Create();
        var error = await Assert.ThrowsAsync<JudgeException>(() => failing.ScoreAsync(Batch, CancellationToken.None));
        Assert.Contains("maximum context length", error.Message);
    }
}
