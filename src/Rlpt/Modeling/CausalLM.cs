using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Rlpt.Modeling;

/// <summary>
/// Decoder-only language model of the Llama/Qwen family (<c>LlamaForCausalLM</c>, <c>Qwen2ForCausalLM</c>,
/// <c>Qwen3ForCausalLM</c>). Submodules are private fields named like Hugging Face's keys, so
/// <c>state_dict()</c> maps one to one onto their safetensors checkpoints.
/// </summary>
public sealed class CausalLM : nn.Module
{
    private readonly DecoderModel model;
    private readonly Linear? lm_head;

    private readonly Kernels.SmallBatchDecoder smallBatch;

    public ModelConfig Config { get; }

    /// <summary>
    /// Whether a decoding step of at most <see cref="Kernels.SmallBatchDecoder.MaxRows"/> rows on the CPU in fp32 runs the
    /// hand-written kernel (<see cref="Kernels.SmallBatchDecoder"/>: same arithmetic, no per-op overhead) instead of the
    /// modules; true by default, false to compare the two.
    /// </summary>
    public bool DecodingKernel { get; set; } = true;

    /// <summary>The most rows a decoding step runs on the kernel (<see cref="DecodingKernel"/>); larger batches take the modules.</summary>
    public const int DecodingKernelMaxRows = Kernels.SmallBatchDecoder.MaxRows;

    /// <summary>Decoding steps the kernel has run on this model.</summary>
    internal long DecodingKernelSteps => smallBatch.Steps;

    public CausalLM(ModelConfig config) : base(nameof(CausalLM))
    {
        config.Validate();
        Config = config;
        model = new DecoderModel(config);
        // Tied models keep one matrix: Hugging Face checkpoints omit lm_head.weight for them.
        if (!config.TieWordEmbeddings) lm_head = nn.Linear(config.HiddenSize, config.VocabSize, hasBias: false);
        smallBatch = new Kernels.SmallBatchDecoder(config);
        RegisterComponents();
    }

    /// <summary>Logits [batch, seq, vocab] (or [batch, 1, vocab] with <paramref name="lastOnly"/>).</summary>
    public Tensor Forward(Tensor inputIds, Tensor? attentionMask = null, Tensor? positionIds = null, IKeyValueCache? cache = null, bool lastOnly = false)
    {
        if (DecodingKernel && cache is KvCache kv && kv.BatchSize <= Kernels.SmallBatchDecoder.MaxRows && inputIds.numel() == kv.BatchSize)
        {
            var weights = model.KernelWeights(lm_head?.weight ?? model.EmbeddingWeight, kv.Length + 1);
            if (smallBatch.Applies(inputIds, attentionMask, positionIds, cache, weights)) return smallBatch.Step(inputIds, attentionMask, kv, weights);
        }
        using var scope = NewDisposeScope();
        var hidden = Hidden(inputIds, attentionMask, positionIds, cache);
        if (lastOnly) hidden = hidden.narrow(1, hidden.shape[1] - 1, 1);
        return Logits(hidden).MoveToOuterDisposeScope();
    }

    /// <summary>The final-norm hidden states [batch, seq, hidden], for callers that need logits at only some positions.</summary>
    public Tensor Hidden(Tensor inputIds, Tensor? attentionMask = null, Tensor? positionIds = null, IKeyValueCache? cache = null) =>
        model.Forward(inputIds, attentionMask, positionIds, cache);

    /// <summary>The lm_head (the embedding matrix when tied) on hidden states [..., hidden].</summary>
    public Tensor Logits(Tensor hidden) => lm_head is null ? nn.functional.linear(hidden, model.EmbeddingWeight) : lm_head.forward(hidden);

    /// <summary>Hugging Face-style initialisation; residual output projections scaled by 1/sqrt(2·layers) as in GPT-2.</summary>
    public void InitializeWeights(long seed)
    {
        using var guard = no_grad();
        using var generator = new Generator((ulong)seed);
        double std = Config.InitializerRange;
        double residualStd = std / Math.Sqrt(2.0 * Config.NumHiddenLayers);
        foreach (var (name, parameter) in named_parameters())
        {
            if (name.EndsWith("norm.weight")) parameter.fill_(1.0);
            else if (name.EndsWith(".bias")) parameter.zero_();
            // Drawn with randn: TorchSharp 0.107's nn.init.normal_ ignores its generator, which breaks seeding.
            else parameter.copy_(randn(parameter.shape, generator: generator).mul_(IsResidualProjection(name) ? residualStd : std));
        }
    }

    private static bool IsResidualProjection(string name) => name.EndsWith("o_proj.weight") || name.EndsWith("down_proj.weight");

    public long ParameterCount => parameters().Sum(p => p.numel());
}
