using Rlpt.Modeling;
using static TorchSharp.torch;

namespace Rlpt.Serving;

/// <summary>
/// A model folder loaded in this process behind an <see cref="RlptChatClient"/>: its own chat template, its own
/// batching engine. For terminal chat and for an in-process RLPT judge (no server needed).
/// </summary>
public sealed class LocalChatModel : IAsyncDisposable
{
    private readonly CausalLM model;
    private readonly BatchingEngine engine;

    private LocalChatModel(CausalLM model, BatchingEngine engine, RlptChatClient client)
    {
        this.model = model;
        this.engine = engine;
        Client = client;
    }

    public RlptChatClient Client { get; }

    public static LocalChatModel Load(string directory, Device device, EngineOptions? options = null)
    {
        var (model, tokenizer) = ModelFolder.Load(directory, device);
        var engine = new BatchingEngine(model, tokenizer, (options ?? new EngineOptions()).WithChatTemplateOf(directory));
        return new LocalChatModel(model, engine, new RlptChatClient(engine, directory));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await engine.DisposeAsync();
        model.Dispose();
    }
}
