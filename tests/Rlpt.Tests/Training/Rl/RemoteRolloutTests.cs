using System.Net.Http.Json;
using System.Text.Json;
using Rlpt.Generation;
using Rlpt.Interop.HuggingFace;
using Rlpt.Modeling;
using Rlpt.Tests.Serving;
using Rlpt.Training.Rl;
using Rlpt.Training.Rl.Rollouts;
using static TorchSharp.torch;

namespace Rlpt.Tests.Training.Rl;

/// <summary>GRPO with its rollouts on real <c>rlpt serve</c> processes over HTTP: learning, weight sync, a replica killed, async staleness.</summary>
[Collection(Rlpt.Tests.Reliability.HeavyProcesses.Name)]
public sealed class RemoteRolloutTests
{
    /// <summary>Two engines serving the tiny policy's architecture, allowed to load weights from the folder's sync/.</summary>
    private static async Task<(TestDirectory Root, ServeProcess[] Replicas)> Engines(int count = 2)
    {
        var root = new TestDirectory();
        var (model, tokenizer) = GrpoLearningTests.TinyPolicy();
        using (model) ModelFolder.Save(root.File("initial"), model, tokenizer);
        Directory.CreateDirectory(root.File("sync"));
        var replicas = await Task.WhenAll(Enumerable.Range(0, count).Select(_ => ServeProcess.StartAsync(root.File("initial"), "--weights-root", root.File("sync"), "--threads", "1")));
        return (root, replicas);
    }

    private static Func<CausalLM, global::Rlpt.Tokenization.Tokenizer, IRolloutEngine> Remote(TestDirectory root, IEnumerable<ServeProcess> replicas, Action<OpenAiRolloutEngine>? keep = null) =>
        (policy, tokenizer) =>
        {
            var engine = new OpenAiRolloutEngine(new RemoteRolloutOptions
            {
                Urls = replicas.Select(r => r.BaseAddress).ToArray(), SyncDirectory = root.File("sync"),
                RequestTimeout = TimeSpan.FromSeconds(20), Cooldown = TimeSpan.FromMilliseconds(300),
            }, policy, tokenizer);
            keep?.Invoke(engine);
            return engine;
        };

    private static GrpoConfig RemoteDigits => GrpoLearningTests.DigitTask with { RolloutEngine = RolloutEngines.OpenAi, RolloutUrls = ["http://127.0.0.1:1/v1"] };

    [Fact]
    public async Task GrpoLearnsWithRolloutsOnTwoServersAndAfterASyncTheyScoreAsTheTrainer()
    {
        var (root, replicas) = await Engines();
        using var _ = root;
        try
        {
            CausalLM? trained = null;
            global::Rlpt.Tokenization.Tokenizer? tokenizer = null;
            OpenAiRolloutEngine? engine = null;
            var (metrics, _) = GrpoLearningTests.LearnDigits(RemoteDigits, rollouts: Remote(root, replicas, e => engine = e),
                onStep: s =>
                {
                    if (s.Step != RemoteDigits.MaxSteps) return;
                    // After the last update: sync once more, then both engines must score tokens as the trainer does.
                    engine!.SyncWeights(s.Step, CancellationToken.None);
                });
            foreach (var key in new[] { "sampling/sampling_logp_difference/mean", "sampling/importance_sampling_ratio/capped_frac", "rollout/replicas_current", "rollout/weight_version_min", "time/weight_sync" })
                Assert.True(metrics[0].ContainsKey(key), $"metrics lack {key}");
            Assert.All(metrics, m => Assert.Equal(2, m["rollout/replicas_current"].GetDouble()));
            // Same weights, same tokens: the engine's log-probs differ from the trainer's by float rounding only.
            Assert.All(metrics, m => Assert.True(m["sampling/sampling_logp_difference/max"].GetDouble() < 1e-3, $"log-prob mismatch {m["sampling/sampling_logp_difference/max"]}"));
            // Synchronous: every step's rollouts come from that step's weights.
            Assert.All(metrics, m => Assert.Equal(0, m["rollout/staleness_max"].GetDouble()));

            // The synced folder is the trained policy: greedy completions with log-probs from each engine equal the trainer's.
            var folder = Directory.GetDirectories(root.File("sync")).Single();
            (trained, tokenizer) = ModelFolder.Load(folder, CPU);
            using (trained)
            {
                var prompt = tokenizer.Encode("the cat");
                var local = new BatchGenerator(trained, tokenizer).Generate([new GenerationRequest(prompt, new SamplingOptions { MaxNewTokens = 6, Temperature = 1.0, Seed = 9, StopAtEndOfText = false })])[0];
                foreach (var replica in replicas)
                {
                    using var http = new HttpClient();
                    // Both replicas served rollouts (requests go where fewest are in flight) and took every sync.
                    var counters = await http.GetStringAsync(replica.BaseAddress.ToString().Replace("/v1", "/metrics"));
                    double Counter(string name) => double.Parse(counters.Split('\n').Single(l => l.StartsWith($"rlpt:{name}{{", StringComparison.Ordinal)).Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture);
                    Assert.True(Counter("rows_decoded_total") > 0, counters);
                    Assert.Equal(RemoteDigits.MaxSteps + 1, Counter("weight_updates_total"));
                    using var response = await http.PostAsJsonAsync(replica.BaseAddress + "/completions", new { model = "tiny", prompt, max_tokens = 6, temperature = 1.0, seed = 9, ignore_eos = true, logprobs = 0, return_token_ids = true });
                    var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                    var choice = body.GetProperty("choices")[0];
                    Assert.Equal(local.TokenIds, choice.GetProperty("token_ids").EnumerateArray().Select(t => t.GetInt32()));
                    var served = choice.GetProperty("logprobs").GetProperty("token_logprobs").EnumerateArray().Select(t => t.GetSingle()).ToArray();
                    for (int t = 0; t < served.Length; t++) Assert.True(Math.Abs(served[t] - local.LogProbs[t]) < 1e-4, $"token {t}: served {served[t]} vs trainer {local.LogProbs[t]}");
                    Assert.Equal(RemoteDigits.MaxSteps.ToString(), body.GetProperty("weight_version").GetString());
                }
            }
        }
        finally
        {
            foreach (var replica in replicas) replica.Dispose();
        }
    }

    [Fact]
    public async Task KillingAReplicaMidRunLosesNoStep()
    {
        var (root, replicas) = await Engines();
        using var _ = root;
        try
        {
            var config = RemoteDigits with { MaxSteps = 12 };
            var (metrics, _) = GrpoLearningTests.RunDigits(config, rollouts: Remote(root, replicas), onStep: s =>
            {
                if (s.Step == 4) replicas[1].Kill();
            });
            Assert.Equal(Enumerable.Range(1, 12), metrics.Select(m => m["step"].GetInt32()));
            Assert.True(replicas[1].HasExited);
            // The dead replica's failures were counted, and only the live one was used after it.
            Assert.True(metrics.Skip(4).Sum(m => m["rollout/replica_failures"].GetDouble() + m["rollout/weight_sync_failures"].GetDouble()) > 0);
            Assert.All(metrics.Skip(5), m => Assert.Equal(1, m["rollout/replicas_current"].GetDouble()));
        }
        finally
        {
            foreach (var replica in replicas) replica.Dispose();
        }
    }

    [Fact]
    public async Task AsyncRolloutsOverlapTrainingAndStayWithinMaxStaleness()
    {
        var (root, replicas) = await Engines(count: 1);
        using var _ = root;
        try
        {
            var config = RemoteDigits with { MaxSteps = 10, AsyncRollouts = true, MaxStaleness = 1 };
            var (metrics, _) = GrpoLearningTests.RunDigits(config, rollouts: Remote(root, replicas));
            Assert.Equal(10, metrics.Count);
            Assert.All(metrics, m => Assert.InRange(m["rollout/staleness_max"].GetDouble(), 0, 1));
            // From the second step on, rollouts were generated a step ahead, on the weights of the step before.
            Assert.True(metrics.Skip(1).Count(m => m["rollout/staleness_max"].GetDouble() == 1) >= 5,
                $"staleness per step: {string.Join(" ", metrics.Select(m => m["rollout/staleness_max"].GetDouble()))}");
            Assert.All(metrics, m => Assert.Equal(0, m["rollout/stale_regenerated"].GetDouble()));
        }
        finally
        {
            foreach (var replica in replicas) replica.Dispose();
        }
    }
}
