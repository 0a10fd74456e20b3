using Rlpt.Modeling;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Rlpt.Decision.Models;

/// <summary>
/// A causal transformer over continuous tokens (transitions, or a query state) that predicts an action distribution at
/// every position: a linear token embedding, Modeling's decoder blocks (RMSNorm, rotary positions, SwiGLU) fed
/// embeddings, and a linear action head. Submodules are named like Hugging Face's keys (<c>model.layers.0...</c>).
/// </summary>
public sealed class TransitionTransformer : nn.Module
{
    private readonly Linear embed_transition;
    private readonly DecoderModel model;
    private readonly Linear action_head;

    public TransitionTransformerConfig Config { get; }

    public TransitionTransformer(TransitionTransformerConfig config) : base(nameof(TransitionTransformer))
    {
        config.Validate();
        Config = config;
        embed_transition = nn.Linear(config.InputSize, config.HiddenSize);
        model = new DecoderModel(config.Decoder, tokenEmbeddings: false);
        action_head = nn.Linear(config.HiddenSize, config.ActionCount);
        RegisterComponents();
    }

    /// <summary>Action logits [batch, seq, actions] for tokens [batch, seq, input_size]; with a cache, seq new tokens after the cached ones.</summary>
    public Tensor Forward(Tensor tokens, IKeyValueCache? cache = null)
    {
        if (tokens.shape[^1] != Config.InputSize) throw new ArgumentException($"tokens have {tokens.shape[^1]} features, the model takes {Config.InputSize}.");
        using var scope = NewDisposeScope();
        var hidden = model.ForwardEmbeddings(embed_transition.forward(tokens), null, null, cache);
        return action_head.forward(hidden).MoveToOuterDisposeScope();
    }

    /// <summary>A cache for incremental decoding (online bandits: one new pull per step).</summary>
    public KvCache NewCache(long batch, int capacity) => new(Config.Decoder, batch, capacity, parameters().First().device, parameters().First().dtype);

    /// <summary>GPT-2-style initialisation (normal 0.02, zero biases, unit norms), from the seed.</summary>
    public void InitializeWeights(long seed)
    {
        using var guard = no_grad();
        using var generator = new Generator((ulong)seed);
        foreach (var (name, parameter) in named_parameters())
        {
            if (name.EndsWith("norm.weight")) parameter.fill_(1.0);
            else if (name.EndsWith(".bias")) parameter.zero_();
            else parameter.copy_(randn(parameter.shape, generator: generator).mul_(0.02));
        }
    }

    public long ParameterCount => parameters().Sum(p => p.numel());
}
