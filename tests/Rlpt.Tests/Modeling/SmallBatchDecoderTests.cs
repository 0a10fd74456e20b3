using Rlpt.Modeling;
using static TorchSharp.torch;

namespace Rlpt.Tests.Modeling;

/// <summary>
/// The hand-written small-batch decoding kernel against the module path it replaces and against a full recompute:
/// same logits, same keys and values in the cache, for every architecture (grouped-query heads, QKV biases, QK-norm,
/// tied and untied heads), one row and several, with and without ragged left padding.
/// </summary>
public sealed class SmallBatchDecoderTests
{
    public static TheoryData<string, bool, int> Architectures => new()
    {
        { "llama", true, 1 }, { "llama", false, 1 }, { "qwen2", false, 1 }, { "qwen3", true, 1 },
        { "llama", true, 3 }, { "qwen2", false, CausalLM.DecodingKernelMaxRows }, { "qwen3", true, 2 },
    };

    /// <summary>Prefills <paramref name="prefill"/> tokens with the modules, then decodes the rest one at a time on the chosen path.</summary>
    private static (Tensor Logits, KvCache Cache) Decode(CausalLM model, Tensor tokens, int prefill, bool kernel, Tensor? mask = null)
    {
        model.DecodingKernel = kernel;
        long length = tokens.shape[1];
        var cache = new KvCache(model.Config, tokens.shape[0], (int)length + 3, CPU, ScalarType.Float32);
        var pieces = new List<Tensor> { model.Forward(tokens.narrow(1, 0, prefill), mask?.narrow(1, 0, prefill), cache: cache) };
        for (int t = prefill; t < length; t++) pieces.Add(model.Forward(tokens.narrow(1, t, 1), mask?.narrow(1, 0, t + 1), cache: cache));
        model.DecodingKernel = true;
        return (cat(pieces, 1), cache);
    }

    private static void AssertClose(Tensor expected, Tensor actual, string what) =>
        Assert.True(actual.allclose(expected, rtol: 1e-4, atol: 1e-5), $"{what}: max difference {(actual - expected).abs().max().item<float>()}");

    [Theory]
    [MemberData(nameof(Architectures))]
    public void KernelStepsEqualTheModulesAndAFullRecompute(string architecture, bool tied, int rows)
    {
        using var scope = NewDisposeScope();
        using var model = TinyModels.Create(architecture, tied);
        var tokens = TinyModels.RandomTokens(rows, 14);
        using var guard = no_grad();
        var full = model.Forward(tokens);
        long before = model.DecodingKernelSteps;
        var (kernel, kernelCache) = Decode(model, tokens, 5, kernel: true);
        Assert.Equal(9, model.DecodingKernelSteps - before);
        var (modules, moduleCache) = Decode(model, tokens, 5, kernel: false);
        Assert.Equal(9, model.DecodingKernelSteps - before);
        using (kernelCache)
        using (moduleCache)
        {
            AssertClose(modules, kernel, "kernel vs modules");
            AssertClose(full, kernel, "kernel vs full recompute");
            for (int layer = 0; layer < model.Config.NumHiddenLayers; layer++)
            {
                AssertClose(moduleCache.Keys(layer), kernelCache.Keys(layer), $"keys of layer {layer}");
                AssertClose(moduleCache.Values(layer), kernelCache.Values(layer), $"values of layer {layer}");
            }
        }
    }

    /// <summary>Wide enough that the products are split across the cores (tiny ones stay on the calling thread).</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void KernelStepsSplitAcrossCoresEqualTheModules(int rows)
    {
        using var scope = NewDisposeScope();
        var config = TinyModels.Config("qwen2") with { HiddenSize = 192, IntermediateSize = 328, NumAttentionHeads = 6, NumKeyValueHeads = 2, VocabSize = 301 };
        using var model = TinyModels.Create(config);
        var tokens = TinyModels.RandomTokens(rows, 20);
        using var guard = no_grad();
        long before = model.DecodingKernelSteps;
        var (kernel, kernelCache) = Decode(model, tokens, 4, kernel: true);
        Assert.Equal(16, model.DecodingKernelSteps - before);
        var (modules, moduleCache) = Decode(model, tokens, 4, kernel: false);
        kernelCache.Dispose();
        moduleCache.Dispose();
        AssertClose(modules, kernel, "kernel vs modules");
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void KernelStepsHonourLeftPadding(string architecture, bool tied, int rows)
    {
        using var scope = NewDisposeScope();
        using var model = TinyModels.Create(architecture, tied);
        var tokens = TinyModels.RandomTokens(rows, 12);
        // Row r starts after 3 − (r mod 3) padding positions, as rows left-padded to join a longer prompt's batch. The
        // mask of each step is a view of the whole [rows, 12] mask, so its rows are strided (as a running batch's).
        var mask = ones(rows, 12, ScalarType.Int64);
        for (int r = 0; r < rows; r++) mask[r].narrow(0, 0, 3 - r % 3).fill_(0);
        using var guard = no_grad();
        long before = model.DecodingKernelSteps;
        var (kernel, kernelCache) = Decode(model, tokens, 6, kernel: true, mask);
        Assert.Equal(6, model.DecodingKernelSteps - before);
        var (modules, moduleCache) = Decode(model, tokens, 6, kernel: false, mask);
        kernelCache.Dispose();
        moduleCache.Dispose();
        AssertClose(modules, kernel, "kernel vs modules");
        // Padding is invisible: each row's real tokens get the logits of its unpadded sequence.
        for (int r = 0; r < rows; r++)
        {
            int padding = 3 - r % 3;
            var unpadded = model.Forward(tokens.narrow(0, r, 1).narrow(1, padding, 12 - padding));
            AssertClose(unpadded, kernel.narrow(0, r, 1).narrow(1, padding, 12 - padding), $"row {r}, padded vs unpadded");
        }
    }

    [Fact]
    public void StepsThatNeedGradientsOrTooManyRowsTakeTheModules()
    {
        using var scope = NewDisposeScope();
        using var model = TinyModels.Create("llama");
        int many = CausalLM.DecodingKernelMaxRows + 1;
        var tokens = TinyModels.RandomTokens(many, 6);
        using var cache = new KvCache(model.Config, 1, 8, CPU, ScalarType.Float32);
        model.Forward(tokens.narrow(0, 0, 1).narrow(1, 0, 5), cache: cache).Dispose();
        long before = model.DecodingKernelSteps;
        // Under autograd the logits must carry a graph back to the weights.
        var logits = model.Forward(tokens.narrow(0, 0, 1).narrow(1, 5, 1), cache: cache);
        Assert.True(logits.requires_grad);
        Assert.Equal(before, model.DecodingKernelSteps);
        using var guard = no_grad();
        using var wide = new KvCache(model.Config, many, 8, CPU, ScalarType.Float32);
        model.Forward(tokens.narrow(1, 0, 5), cache: wide).Dispose();
        model.Forward(tokens.narrow(1, 5, 1), cache: wide).Dispose();
        Assert.Equal(before, model.DecodingKernelSteps);
    }
}
