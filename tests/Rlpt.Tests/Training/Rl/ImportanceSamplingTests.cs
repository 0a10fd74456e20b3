using Rlpt.Training.Rl;
using static TorchSharp.torch;

namespace Rlpt.Tests.Training.Rl;

public sealed class ImportanceSamplingTests
{
    [Fact]
    public void WeightsAreTheTruncatedRatioAndMaskedTokensWeighOne()
    {
        using var scope = NewDisposeScope();
        // Differences old − behaviour: ln 2, −ln 2, ln 5 (capped at 3), and a masked token.
        var old = tensor(new[] { MathF.Log(0.4f), MathF.Log(0.1f), MathF.Log(0.5f), 0f }, [1, 4]);
        var behaviour = tensor(new[] { MathF.Log(0.2f), MathF.Log(0.2f), MathF.Log(0.1f), -9f }, [1, 4]);
        var mask = tensor(new[] { 1f, 1f, 1f, 0f }, [1, 4]);
        var weights = ImportanceSampling.Weights(old, behaviour, mask, cap: 3).data<float>().ToArray();
        Assert.Equal(2, weights[0], 5);
        Assert.Equal(0.5, weights[1], 5);
        Assert.Equal(3, weights[2], 5);
        Assert.Equal(1, weights[3], 5);

        var metrics = new ImportanceSampling.Accumulator();
        metrics.Add(old, behaviour, mask, cap: 3);
        var m = metrics.Metrics();
        Assert.Equal((Math.Log(2) + Math.Log(2) + Math.Log(5)) / 3, m["sampling/sampling_logp_difference/mean"], 5);
        Assert.Equal(Math.Log(5), m["sampling/sampling_logp_difference/max"], 5);
        Assert.Equal(0.5, m["sampling/importance_sampling_ratio/min"], 5);
        Assert.Equal(5, m["sampling/importance_sampling_ratio/max"], 4);
        Assert.Equal((2 + 0.5 + 3) / 3.0, m["sampling/importance_sampling_ratio/mean"], 5);
        Assert.Equal(1 / 3.0, m["sampling/importance_sampling_ratio/capped_frac"], 5);
    }

    [Fact]
    public void RemoteRolloutSettingsAreCheckedBeforeAnyStep()
    {
        void Refused(GrpoConfig config, string says) => Assert.Contains(says, Assert.Throws<ArgumentException>(config.Validate).Message);
        var remote = new GrpoConfig { RolloutEngine = "openai", RolloutUrls = ["http://127.0.0.1:8000/v1"] };
        remote.Validate();
        Refused(remote with { RolloutUrls = [] }, "needs at least one --rollout-url");
        Refused(remote with { RolloutUrls = ["ftp://x"] }, "not an http(s) URL");
        Refused(new GrpoConfig { RolloutUrls = ["http://x"] }, "is for rollout_engine openai");
        Refused(new GrpoConfig { AsyncRollouts = true }, "needs a remote rollout engine");
        Refused(remote with { RolloutEngine = "vllm" }, "unknown rollout_engine");
        Refused(remote with { AsyncRollouts = true, WeightSyncSteps = 2 }, "more than max_staleness 1");
        (remote with { AsyncRollouts = true, WeightSyncSteps = 2, MaxStaleness = 2 }).Validate();
        Refused(remote with { ImportanceSamplingCap = 0.5 }, "importance_sampling_cap");
    }
}

public sealed class OpenAiRolloutParsingTests
{
    private static readonly Uri Engine = new("http://engine/");

    [Fact]
    public void TokenIdsComeFromReturnTokenIdsOrFromTokenIdNames()
    {
        var both = global::Rlpt.Training.Rl.Rollouts.OpenAiRolloutEngine.Parse(
            """{"weight_version":"7","choices":[{"index":1,"text":"c","finish_reason":"stop","token_ids":[9],"logprobs":{"token_logprobs":[-2]}},{"index":0,"text":"ab","finish_reason":"length","token_ids":[3,4],"logprobs":{"tokens":["a","b"],"token_logprobs":[-0.5,-1.25]}}]}""", 2, Engine);
        Assert.Equal(2, both.Count);
        var withIds = both[0]; // choices in index order
        Assert.Equal([9], both[1].TokenIds);
        Assert.Equal([3, 4], withIds.TokenIds);
        Assert.Equal([-0.5f, -1.25f], withIds.LogProbs);
        Assert.Equal(global::Rlpt.Generation.FinishReason.Length, withIds.FinishReason);
        Assert.Equal("7", withIds.WeightVersion);
        Assert.Equal(2, withIds.PromptTokens);

        var named = global::Rlpt.Training.Rl.Rollouts.OpenAiRolloutEngine.Parse(
            """{"choices":[{"text":"ab","finish_reason":"stop","logprobs":{"tokens":["token_id:3","token_id:40"],"token_logprobs":[-0.5,-1]}}]}""", 2, Engine)[0];
        Assert.Equal([3, 40], named.TokenIds);
        Assert.Equal(global::Rlpt.Generation.FinishReason.Stop, named.FinishReason);
        Assert.Null(named.WeightVersion);
    }

    [Theory]
    [InlineData("""{"choices":[{"text":"a","logprobs":{"tokens":["a"],"token_logprobs":[-1]}}]}""", "without their ids")]
    [InlineData("""{"choices":[{"text":"a","token_ids":[1]}]}""", "no token log-probs")]
    [InlineData("""{"choices":[{"text":"a"}]}""", "no token ids")]
    public void AnEngineThatCannotReturnTokenIdsIsNamedInTheError(string body, string says)
    {
        var error = Assert.Throws<InvalidOperationException>(() => global::Rlpt.Training.Rl.Rollouts.OpenAiRolloutEngine.Parse(body, 1, Engine));
        Assert.Contains(says, error.Message);
        Assert.Contains("http://engine/", error.Message);
    }
}
