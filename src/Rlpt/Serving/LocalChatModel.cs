using Rlpt.Interop.HuggingFace;
using Rlpt.Modeling;
using static TorchSharp.torch;

namespace Rlpt.Serving;

/// <summary>
/// A model folder loaded in this process with its own chat template behind one <see cref="BatchingEngine"/>, and an
/// <see cref="RlptChatClient"/> over it: for the HTTP server, terminal chat and an in-process RLPT judge.
/// </summary>
public sealed class LocalChatModel : IAsyncDisposable
{
    private readonly CausalLM model;
    private LocalChatModel(CausalLM model, BatchingEngine engine, RlptChatClient client)
    {
        this.model = model;
        Engine = engine;
        Client = client;
    }

    public BatchingEngine Engine { get; }

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
        await Engine.DisposeAsync();
        model.Dispose();
    }
}
