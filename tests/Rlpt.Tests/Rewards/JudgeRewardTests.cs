using Rlpt.Rewards;

namespace Rlpt.Tests.Rewards;

/// <summary>The judge over real HTTP against <see cref="FakeJudgeServer"/> through the OpenAI-compatible client.</summary>
public class JudgeRewardTests
{
    private static readonly JudgeOptions Fast = new() { RetryBackoff = TimeSpan.FromMilliseconds(10), Timeout = TimeSpan.FromSeconds(10) };

    private static RewardInput Input(string? prediction) =>
        Inputs.Make(prediction, "The river froze early that year.", "The river froze early that year. Children skated on it for weeks.");

    private static JudgeReward Judge(FakeJudgeServer server, JudgeOptions options) =>
        JudgeReward.ForOpenAiCompatible(server.Endpoint, "fake-judge", apiKey: null, options);

    [Fact]
    public async Task Score_1_reply_scores_1_and_missing_prediction_makes_no_request()
    {
        using var server = new FakeJudgeServer(_ => "Score: 1");
        using var judge = Judge(server, Fast);
        var result = await judge.ScoreAsync([Input("That year the river froze early."), Input(null)], CancellationToken.None);
        Assert.Equal([1.0, 0.0], result.Scores);
        Assert.Equal(0, result.Failures);
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task Garbled_reply_under_ScoreZero_counts_a_failure_after_retries()
    {
        using var server = new FakeJudgeServer(_ => "I think it is mostly right.");
        using var judge = Judge(server, Fast with { Retries = 2 });
        var result = await judge.ScoreAsync([Input("The river froze.")], CancellationToken.None);
        Assert.Equal([0.0], result.Scores);
        Assert.Equal(1, result.Failures);
        Assert.Equal(3, server.Requests);
    }

    [Fact]
    public async Task Garbled_reply_under_Fail_throws_naming_endpoint_and_problem()
    {
        using var server = new FakeJudgeServer(_ => "Score: maybe");
        using var judge = Judge(server, Fast with { Retries = 0, OnFailure = JudgeFailurePolicy.Fail });
        var error = await Assert.ThrowsAsync<JudgeException>(() => judge.ScoreAsync([Input("The river froze.")], CancellationToken.None));
        Assert.Contains(server.Endpoint.Authority, error.Message);
        Assert.Contains("garbled", error.Message);
    }

    [Fact]
    public async Task Silent_server_times_out_and_is_retried_per_policy()
    {
        using var server = new FakeJudgeServer(_ => "Score: 1", delay: TimeSpan.FromSeconds(30));
        // 1 s rather than less: on a loaded machine a request can reach the server's handler only after a short timeout.
        var options = Fast with { Timeout = TimeSpan.FromSeconds(1), Retries = 1 };

        using (var judge = Judge(server, options))
        {
            var result = await judge.ScoreAsync([Input("The river froze.")], CancellationToken.None);
            Assert.Equal([0.0], result.Scores);
            Assert.Equal(1, result.Failures);
        }
        // The second attempt's request is sent before its timeout, but the server may count it a moment later.
        await ArrivesWithin(() => server.Requests, 2);

        using (var judge = Judge(server, options with { OnFailure = JudgeFailurePolicy.Fail }))
        {
            var error = await Assert.ThrowsAsync<JudgeException>(() => judge.ScoreAsync([Input("The river froze.")], CancellationToken.None));
            Assert.Contains("no reply within", error.Message);
        }
        await ArrivesWithin(() => server.Requests, 4);
    }

    /// <summary>Waits up to 10 s for a server-side count to reach the expected value, then asserts it equals it.</summary>
    private static async Task ArrivesWithin(Func<int> count, int expected)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(10); count() < expected && DateTime.UtcNow < deadline;)
            await Task.Delay(20);
        Assert.Equal(expected, count());
    }

    [Fact]
    public async Task Cache_and_batch_deduplication_avoid_repeat_requests()
    {
        using var server = new FakeJudgeServer(_ => "Score: 0");
        using var judge = Judge(server, Fast);
        var first = await judge.ScoreAsync([Input("Snow fell."), Input("Snow fell.")], CancellationToken.None);
        var second = await judge.ScoreAsync([Input("Snow fell.")], CancellationToken.None);
        Assert.Equal([0.0, 0.0], first.Scores);
        Assert.Equal([0.0], second.Scores);
        Assert.Equal(1, server.Requests);

        await judge.ScoreAsync([Input("Rain fell.")], CancellationToken.None);
        Assert.Equal(2, server.Requests);
    }

    [Fact]
    public async Task Concurrency_stays_within_the_bound()
    {
        using var server = new FakeJudgeServer(_ => "Score: 1", delay: TimeSpan.FromMilliseconds(150));
        using var judge = Judge(server, Fast with { MaxConcurrency = 3 });
        var batch = Enumerable.Range(0, 10).Select(i => Input($"Prediction number {i}.")).ToArray();
        var result = await judge.ScoreAsync(batch, CancellationToken.None);
        Assert.All(result.Scores, s => Assert.Equal(1, s));
        Assert.Equal(10, server.Requests);
        Assert.InRange(server.MaxInFlight, 2, 3);
    }

    [Fact]
    public void Prompt_carries_both_texts_and_the_reply_format()
    {
        var prompt = JudgePrompt.Build("PRED-TEXT", "REF-TEXT");
        Assert.Contains("PRED-TEXT", prompt);
        Assert.Contains("REF-TEXT", prompt);
        Assert.Contains("\"Score: 1\" or \"Score: 0\"", prompt);
    }
}
