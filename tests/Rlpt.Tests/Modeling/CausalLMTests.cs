using Rlpt.Modeling;
using static TorchSharp.torch;

namespace Rlpt.Tests.Modeling;

public sealed class CausalLMTests
{
    public static TheoryData<string> Architectures => new() { "llama", "qwen2", "qwen3" };

    [Theory]
    [MemberData(nameof(Architectures))]
    public void GradientsMatchFiniteDifferences(string architecture)
    {
        using var scope = NewDisposeScope();
        using var model = TinyModels.Create(architecture, dtype: ScalarType.Float64);
        var tokens = TinyModels.RandomTokens(2, 6);
        Tensor Loss()
        {
            var logits = model.Forward(tokens.narrow(1, 0, 5));
            return nn.functional.cross_entropy(logits.reshape(-1, logits.shape[^1]), tokens.narrow(1, 1, 5).reshape(-1));
        }
        Loss().backward();
        var random = new Random(1);
        const double eps = 1e-6;
        foreach (var (name, parameter) in model.named_parameters())
        {
            var flat = parameter.detach().view(-1);
            var grad = parameter.grad!.view(-1);
            for (int probe = 0; probe < 2; probe++)
            {
                long i = random.NextInt64(flat.numel());
                double original = flat[i].item<double>();
                double plus, minus;
                using (no_grad())
                {
                    flat[i] = original + eps; plus = Loss().item<double>();
                    flat[i] = original - eps; minus = Loss().item<double>();
                    flat[i] = original;
                }
                double numeric = (plus - minus) / (2 * eps);
                double analytic = grad[i].item<double>();
                Assert.True(Math.Abs(numeric - analytic) <= 1e-6 + 1e-4 * Math.Abs(numeric),
                    $"{name}[{i}]: autograd {analytic:G6} vs finite difference {numeric:G6}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void IncrementalDecodingWithCacheEqualsFullForward(string architecture)
    {
        using var scope = NewDisposeScope();
        using var model = TinyModels.Create(architecture);
        var tokens = TinyModels.RandomTokens(2, 12);
        using var guard = no_grad();
        var full = model.Forward(tokens);
        using var cache = new KvCache(model.Config, 2, 16, CPU, ScalarType.Float32);
        var pieces = new List<Tensor> { model.Forward(tokens.narrow(1, 0, 5), cache: cache) };
        for (int t = 5; t < 12; t++) pieces.Add(model.Forward(tokens.narrow(1, t, 1), cache: cache));
        var incremental = cat(pieces, 1);
        Assert.Equal(12, cache.Length);
        Assert.True(full.allclose(incremental, rtol: 1e-4, atol: 1e-5), $"max difference {(full - incremental).abs().max().item<float>()}");
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void FutureTokensNeverChangeEarlierLogits(string architecture)
    {
        using var scope = NewDisposeScope();
        using var model = TinyModels.Create(architecture);
        var tokens = TinyModels.RandomTokens(1, 10);
        var changed = tokens.clone();
        changed[0, 6] = (tokens[0, 6] + 1) % 61;
        using var guard = no_grad();
        var a = model.Forward(tokens);
        var b = model.Forward(changed);
        Assert.True(a.narrow(1, 0, 6).allclose(b.narrow(1, 0, 6), rtol: 0, atol: 1e-6));
        Assert.False(a.narrow(1, 6, 4).allclose(b.narrow(1, 6, 4), rtol: 0, atol: 1e-4), "the changed token must change its own and later logits");
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void LeftPaddedBatchMatchesUnpaddedSequences(string architecture)
    {
        using var scope = NewDisposeScope();
        using var model = TinyModels.Create(architecture);
        int[] lengths = [9, 4, 6];
        int width = lengths.Max();
        var sequences = lengths.Select((n, i) => TinyModels.RandomTokens(1, n, seed: 10 + i)).ToArray();
        var ids = zeros(lengths.Length, width, ScalarType.Int64);
        var mask = zeros(lengths.Length, width, ScalarType.Int64);
        for (int r = 0; r < lengths.Length; r++)
        {
            ids[r, TensorIndex.Slice(width - lengths[r])] = sequences[r][0];
            mask[r, TensorIndex.Slice(width - lengths[r])] = 1;
        }
        using var guard = no_grad();
        var batched = model.Forward(ids, mask);
        for (int r = 0; r < lengths.Length; r++)
        {
            var single = model.Forward(sequences[r]);
            var fromBatch = batched[r].narrow(0, width - lengths[r], lengths[r]).unsqueeze(0);
            Assert.True(single.allclose(fromBatch, rtol: 1e-4, atol: 1e-5), $"row {r}: max difference {(single - fromBatch).abs().max().item<float>()}");
        }
    }

    [Fact]
    public void TiedEmbeddingsShareOneMatrixAndOmitLmHead()
    {
        using var model = TinyModels.Create("qwen3", tied: true);
        var keys = model.state_dict().Keys.ToArray();
        Assert.DoesNotContain("lm_head.weight", keys);
        Assert.Contains("model.embed_tokens.weight", keys);
        Assert.Equal(model.Config.ParameterCount, model.ParameterCount);
    }

    [Fact]
    public void ParameterNamesAreHuggingFaceKeys()
    {
        using var model = TinyModels.Create("qwen3");
        var keys = model.state_dict().Keys.ToHashSet();
        string[] expected =
        [
            "model.embed_tokens.weight", "model.norm.weight", "lm_head.weight",
            "model.layers.0.self_attn.q_proj.weight", "model.layers.0.self_attn.k_proj.weight",
            "model.layers.0.self_attn.v_proj.weight", "model.layers.0.self_attn.o_proj.weight",
            "model.layers.0.self_attn.q_norm.weight", "model.layers.0.self_attn.k_norm.weight",
            "model.layers.1.mlp.gate_proj.weight", "model.layers.1.mlp.up_proj.weight", "model.layers.1.mlp.down_proj.weight",
            "model.layers.1.input_layernorm.weight", "model.layers.1.post_attention_layernorm.weight",
        ];
        foreach (var key in expected) Assert.Contains(key, keys);
        Assert.Equal(model.Config.ParameterCount, model.ParameterCount);
        using var qwen2 = TinyModels.Create("qwen2");
        Assert.Contains("model.layers.0.self_attn.q_proj.bias", qwen2.state_dict().Keys);
        Assert.Equal(qwen2.Config.ParameterCount, qwen2.ParameterCount);
    }

    [Fact]
    public void InitializationIsDeterministicForASeed()
    {
        using var a = new CausalLM(TinyModels.Config("llama"));
        using var b = new CausalLM(TinyModels.Config("llama"));
        using var c = new CausalLM(TinyModels.Config("llama"));
        a.InitializeWeights(5);
        b.InitializeWeights(5);
        c.InitializeWeights(6);
        var (wa, wb, wc) = (a.state_dict(), b.state_dict(), c.state_dict());
        Assert.All(wa, kv => Assert.True(kv.Value.allclose(wb[kv.Key], rtol: 0, atol: 0), $"{kv.Key} differs for the same seed"));
        Assert.False(wa["model.layers.0.mlp.up_proj.weight"].allclose(wc["model.layers.0.mlp.up_proj.weight"]));
        // Residual projections start smaller (GPT-2's 1/sqrt(2·layers)).
        Assert.True(wa["model.layers.0.mlp.down_proj.weight"].std().item<float>() < 0.7 * wa["model.layers.0.mlp.up_proj.weight"].std().item<float>());
    }
}
