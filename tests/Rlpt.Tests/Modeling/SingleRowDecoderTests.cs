using Rlpt.Modeling;
using static TorchSharp.torch;

namespace Rlpt.Tests.Modeling;

/// <summary>
/// The hand-written one-row decoding kernel against the module path it replaces and against a full recompute: same
/// logits, same keys and values in the cache, for every architecture (grouped-query heads, QKV biases, QK-norm,
/// tied and untied heads), with and without left padding.
/// </summary>
public sealed class SingleRowDecoderTests
{
    public static TheoryData<string, bool> Architectures => new() { { "llama", true }, { "llama", false }, { "qwen2", false }, { "qwen3", true } };

    /// <summary>Prefills <paramref name="prefill"/> tokens with the modules, then decodes the rest one at a time on the chosen path.</summary>
    private static (Tensor Logits, KvCache Cache) Decode(CausalLM model, Tensor tokens, int prefill, bool kernel, Tensor? mask = null)
    {
        model.SingleRowKernel = kernel;
        long length = tokens.shape[1];
        var cache = new KvCache(model.Config, 1, (int)length + 3, CPU, ScalarType.Float32);
        var pieces = new List<Tensor> { model.Forward(tokens.narrow(1, 0, prefill), mask?.narrow(1, 0, prefill), cache: cache) };
        for (int t = prefill; t < length; t++) pieces.Add(model.Forward(tokens.narrow(1, t, 1), mask?.narrow(1, 0, t + 1), cache: cache));
        model.SingleRowKernel = true;
        return (cat(pieces, 1), cache);
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void KernelStepsEqualTheModulesAndAFullRecompute(string architecture, bool tied)
    {
        using var scope = NewDisposeScope();
        using var model = TinyModels.Create(architecture, tied);
        var tokens = TinyModels.RandomTokens(1, 14);
        using var guard = no_grad();
        var full = model.Forward(tokens);
        long before = model.SingleRowKernelSteps;
        var (kernel, kernelCache) = Decode(model, tokens, 5, kernel: true);
        Assert.Equal(9, model.SingleRowKernelSteps - before);
        var (modules, moduleCache) = Decode(model, tokens, 5, kernel: false);
        Assert.Equal(9, model.SingleRowKernelSteps - before);
        using (kernelCache)
        using (moduleCache)
        {
            Assert.True(kernel.allclose(modules, rtol: 1e-4, atol: 1e-5), $"kernel vs modules: max difference {(kernel - modules).abs().max().item<float>()}");
            Assert.True(kernel.allclose(full, rtol: 1e-4, atol: 1e-5), $"kernel vs full recompute: max difference {(kernel - full).abs().max().item<float>()}");
            for (int layer = 0; layer < model.Config.NumHiddenLayers; layer++)
            {
                Assert.True(kernelCache.Keys(layer).allclose(moduleCache.Keys(layer), rtol: 1e-4, atol: 1e-5), $"keys of layer {layer}");
                Assert.True(kernelCache.Values(layer).allclose(moduleCache.Values(layer), rtol: 1e-4, atol: 1e-5), $"values of layer {layer}");
            }
        }
    }

    /// <summary>Wide enough that the products are split across the cores (tiny ones stay on the calling thread).</summary>
    [Fact]
    public void KernelStepsSplitAcrossCoresEqualTheModules()
    {
        using var scope = NewDisposeScope();
        var config = TinyModels.Config("qwen2") with { HiddenSize = 192, IntermediateSize = 328, NumAttentionHeads = 6, NumKeyValueHeads = 2, VocabSize = 301 };
        using var model = TinyModels.Create(config);
        var tokens = TinyModels.RandomTokens(1, 20);
        using var guard = no_grad();
        var (kernel, kernelCache) = Decode(model, tokens, 4, kernel: true);
        var (modules, moduleCache) = Decode(model, tokens, 4, kernel: false);
        kernelCache.Dispose();
        moduleCache.Dispose();
        Assert.True(kernel.allclose(modules, rtol: 1e-4, atol: 1e-5), $"kernel vs modules: max difference {(kernel - modules).abs().max().item<float>()}");
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void KernelStepsHonourLeftPadding(string architecture, bool tied)
    {
        using var scope = NewDisposeScope();
        using var model = TinyModels.Create(architecture, tied);
        var tokens = TinyModels.RandomTokens(1, 12);
        // Three padding positions first, as a row left-padded to join a longer prompt's batch.
        var mask = ones(1, 12, ScalarType.Int64);
        mask.narrow(1, 0, 3).fill_(0);
        using var guard = no_grad();
        var unpadded = model.Forward(tokens.narrow(1, 3, 9));
        var (kernel, kernelCache) = Decode(model, tokens, 6, kernel: true, mask);
        var (modules, moduleCache) = Decode(model, tokens, 6, kernel: false, mask);
        kernelCache.Dispose();
        moduleCache.Dispose();
        Assert.True(kernel.allclose(modules, rtol: 1e-4, atol: 1e-5), $"kernel vs modules: max difference {(kernel - modules).abs().max().item<float>()}");
        // Padding is invisible: the real tokens' logits are those of the unpadded sequence.
        var real = kernel.narrow(1, 3, 9);
        Assert.True(real.allclose(unpadded, rtol: 1e-4, atol: 1e-5), $"padded vs unpadded: max difference {(real - unpadded).abs().max().item<float>()}");
    }

    [Fact]
    public void StepsThatNeedGradientsOrSeveralRowsTakeTheModules()
    {
        using var scope = NewDisposeScope();
        using var model = TinyModels.Create("llama");
        var tokens = TinyModels.RandomTokens(2, 6);
        using var cache = new KvCache(model.Config, 1, 8, CPU, ScalarType.Float32);
        model.Forward(tokens.narrow(0, 0, 1).narrow(1, 0, 5), cache: cache).Dispose();
        long before = model.SingleRowKernelSteps;
        // Under autograd the logits must carry a graph back to the weights.
        var logits = model.Forward(tokens.narrow(0, 0, 1).narrow(1, 5, 1), cache: cache);
        Assert.True(logits.requires_grad);
        Assert.Equal(before, model.SingleRowKernelSteps);
        using var guard = no_grad();
        using var pair = new KvCache(model.Config, 2, 8, CPU, ScalarType.Float32);
        model.Forward(tokens.narrow(1, 0, 5), cache: pair).Dispose();
        model.Forward(tokens.narrow(1, 5, 1), cache: pair).Dispose();
        Assert.Equal(before, model.SingleRowKernelSteps);
    }
}
